"""The model page: the active model and its metrics, reviews since it was trained, and the
retrain/activate buttons that start background jobs (see ``jobs``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from summitwatch.storage import registry
from summitwatch.web.deps import app_of
from summitwatch.web.render import render
from summitwatch.web.retraining import Trainer
from summitwatch.web.security import csrf_protect

router = APIRouter(prefix="/model", dependencies=[Depends(csrf_protect)], include_in_schema=False)


def trainer_of(request: Request) -> Trainer:
    trainer: Trainer = request.app.state.trainer
    return trainer


@router.get("")
def model_page(request: Request) -> Response:
    from summitwatch import modelstore

    application = app_of(request)
    trainer = trainer_of(request)
    return render(
        request,
        "model.html",
        title="Model",
        info=modelstore.model_info(application),
        history=registry.history(application.db)[:20],
        job=trainer.snapshot(),
        candidate=trainer.candidate,
    )


@router.post("/retrain")
def retrain(request: Request) -> Response:
    if not trainer_of(request).start_training():
        raise HTTPException(409, "a model job is already running")
    return RedirectResponse("/model", 303)


@router.post("/activate")
def activate(request: Request, version: Annotated[str, Form(max_length=80)]) -> Response:
    try:
        started = trainer_of(request).start_activation(version)
    except KeyError as exc:
        raise HTTPException(404, str(exc.args[0])) from None
    if not started:
        raise HTTPException(409, "a model job is already running")
    return RedirectResponse("/model", 303)
