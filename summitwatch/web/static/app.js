// SummitWatch review UI: keyboard shortcuts and reviews without a page reload.
// Every action also works without this script (plain forms); this only makes it faster.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var undoStack = [];

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) {
        return r.json().then(function (j) { throw new Error(String(j.detail)); },
                             function () { throw new Error("HTTP " + r.status); });
      }
      return r.json();
    });
  }

  function say(text, bad) {
    var el = document.getElementById("status");
    if (!el) { return; }
    el.textContent = text;  // textContent: nothing here is parsed as HTML
    el.className = bad ? "flash error" : "flash";
  }

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("article.item:not(.done)"));
  }

  function current() { return document.querySelector("article.item.current"); }

  function select(el) {
    var old = current();
    if (old) { old.classList.remove("current"); }
    if (el) {
      el.classList.add("current");
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var list = items();
    if (!list.length) { return; }
    var at = list.indexOf(current());
    var next = at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + step));
    select(list[next]);
  }

  function review(article, decision) {
    var id = article.getAttribute("data-id");
    var noteField = article.querySelector("input.note");
    var note = noteField ? noteField.value : "";
    var list = items();
    var at = list.indexOf(article);
    return api("POST", "/api/items/" + id + "/reviews", { decision: decision, note: note })
      .then(function () {
        undoStack.push(id);
        if (article.classList.contains("single")) { window.location.reload(); return; }
        article.classList.add("done", decision === "confirm" ? "confirmed" : "rejected");
        article.classList.remove("current");
        say((decision === "confirm" ? "Confirmed" : "Rejected") + " item " + id + " (u to undo)");
        var rest = items();
        select(rest[Math.min(at, rest.length - 1)] || null);
      })
      .catch(function (e) { say("Could not save the review: " + e.message, true); });
  }

  function undo() {
    api("POST", "/api/reviews/undo-last").then(function (r) {
      if (!r.undone) { say("Nothing to undo"); return; }
      var el = document.querySelector('article.item[data-id="' + r.item_id + '"]');
      if (el) {
        el.classList.remove("done", "confirmed", "rejected");
        select(el);
      }
      say("Undid the review of item " + r.item_id);
    }).catch(function (e) { say("Could not undo: " + e.message, true); });
  }

  function reviewEvent(form, decision) {
    var ids = Array.prototype.map.call(form.querySelectorAll('input[name="item_ids"]'),
      function (i) { return parseInt(i.value, 10); });
    var note = form.querySelector("input.note").value;
    api("POST", "/api/events/reviews", { item_ids: ids, decision: decision, note: note })
      .then(function () {
        ids.forEach(function (id) {
          var el = document.querySelector('article.item[data-id="' + id + '"]');
          if (el) { el.classList.add("done", decision === "confirm" ? "confirmed" : "rejected"); }
        });
        say((decision === "confirm" ? "Confirmed " : "Rejected ") + ids.length + " items");
      })
      .catch(function (e) { say("Could not save the reviews: " + e.message, true); });
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("button[name=decision]");
    if (!button) { return; }
    var form = button.form;
    if (form.classList.contains("review")) {
      ev.preventDefault();
      review(form.closest("article.item"), button.value);
    } else if (form.classList.contains("event-review")) {
      ev.preventDefault();
      reviewEvent(form, button.value);
    }
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") {
      if (ev.key === "Escape") { ev.target.blur(); }
      return;
    }
    var help = document.getElementById("help");
    var el = current();
    switch (ev.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "y": if (el) { review(el, "confirm"); } else { move(0); } break;
      case "n": if (el) { review(el, "reject"); } else { move(0); } break;
      case "u": undo(); break;
      case "o": if (el) { window.location.href = "/items/" + el.getAttribute("data-id"); } break;
      case "/":
        var q = document.querySelector('#filters input[name="q"]');
        if (q) { q.focus(); } break;
      case "?": if (help) { help.hidden = !help.hidden; } break;
      default: return;
    }
    ev.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var first = items()[0];
    if (first && !first.classList.contains("single")) { select(first); }
    var job = document.getElementById("job");
    if (job && job.getAttribute("data-running") === "yes") {
      var timer = window.setInterval(function () {
        api("GET", "/api/model/job").then(function (r) {
          if (!r.job || !r.job.running) { window.clearInterval(timer); window.location.reload(); }
        });
      }, 1500);
    }
  });
})();
