"""The review web UI and JSON API (FastAPI, server-rendered Jinja2 pages)."""
