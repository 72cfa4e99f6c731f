// The review workspace (admin only): verdicts are saved with fetch and the page is updated in
// place, so the reviewer never loses their place. Keyboard: s (supported: the locator field
// opens with the author's locator; Enter confirms it), p (partly supported) and x (not
// supported: type the note, then Enter), j (next unchecked claim), k (previous claim).
// Without this script every form still works: its POST returns to the same claim's anchor.
(function () {
  "use strict";
  var workspace = document.getElementById("review-workspace");
  if (!workspace) return;
  var claims = Array.prototype.slice.call(workspace.querySelectorAll("li.claim"));
  var total = claims.length;
  var current = null;
  // Verdicts are sent one after another, in the order given, however fast the keys come.
  var queue = Promise.resolve();
  var pending = 0;

  function isOpen(claim) {
    return claim.classList.contains("claim--unchecked") && !claim.dataset.pending;
  }

  function select(claim, quiet) {
    if (!claim) return;
    if (current) current.classList.remove("claim--current");
    current = claim;
    claim.classList.add("claim--current");
    claim.focus({ preventScroll: true });
    // On load the page stays where it is (quiet); moving on brings the claim into view.
    if (!quiet) claim.scrollIntoView({ block: "center" });
  }

  function nextOpen(from) {
    var start = from ? claims.indexOf(from) + 1 : 0;
    for (var i = 0; i < total; i++) {
      var claim = claims[(start + i) % total];
      if (isOpen(claim)) return claim;
    }
    return null;
  }

  function updateProgress() {
    var checked = claims.filter(function (c) { return !c.classList.contains("claim--unchecked"); }).length;
    var count = document.getElementById("review-progress-count");
    if (count) count.textContent = checked + " of " + total + " checked";
    // A decision sent while verdicts are still on their way waits for them: approving must
  // see every verdict the reviewer gave. (The decision buttons carry no name, so submitting
  // the form itself sends the same data.)
  Array.prototype.forEach.call(document.querySelectorAll("form.decision-form"), function (form) {
    form.addEventListener("submit", function (event) {
      if (!pending) return;
      event.preventDefault();
      queue.then(function () { form.submit(); });
    });
  });

  var link = document.getElementById("next-unchecked");
    var next = nextOpen(current);
    if (link) {
      if (next) {
        link.textContent = "Go to claim " + next.dataset.position + ", the next not yet checked";
        link.setAttribute("href", "#" + next.id);
      } else {
        link.textContent = "every claim is checked";
        link.removeAttribute("href");
      }
    }
  }

  function showVerdict(claim, data) {
    var verdict = claim.querySelector(".claim-verdict");
    verdict.textContent = "Verdict: ";
    var strong = document.createElement("strong");
    strong.textContent = data.verdict_label;
    verdict.appendChild(strong);
    var where = Object.keys(data.locators || {}).map(function (key) {
      return "[@" + key + "] " + data.locators[key];
    }).join("; ");
    verdict.appendChild(document.createTextNode(
      " by " + data.checked_by + (where ? "; where: " + where : "") +
      (data.note ? ": " + data.note : "")));
    claim.classList.remove(
      "claim--unchecked", "claim--supported", "claim--partly_supported", "claim--not_supported");
    claim.classList.add("claim--" + data.verdict);
  }

  function send(claim, verdict) {
    var form = claim.querySelector("form.claim-form");
    if (!form || claim.dataset.pending) return false;
    var error = form.querySelector(".claim-error");
    var body = new FormData(form);
    body.set("verdict", verdict);
    if (verdict !== "supported" && !String(body.get("note") || "").trim()) {
      error.textContent = "Say why it is " + (verdict === "partly_supported" ? "only partly" : "not") +
        " supported: type a note, then press Enter.";
      noteFor(form, verdict).focus();
      return false;
    }
    if (verdict === "supported") {
      var empty = Array.prototype.filter.call(
        form.querySelectorAll("input.claim-locator"), function (input) { return !input.value.trim(); });
      if (empty.length) {
        error.textContent = "Say where in the source it is supported (page, table, section or abstract), then press Enter.";
        empty[0].focus();
        return false;
      }
    }
    error.textContent = "";
    claim.dataset.pending = "1";
    pending += 1;
    queue = queue.then(function () {
      return fetch(form.action, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      pending -= 1;
      delete claim.dataset.pending;
      if (result.ok && result.data.ok) {
        showVerdict(claim, result.data);
        form.querySelector("input[name=note]").value = "";
      } else {
        error.textContent = (result.data.errors || ["The verdict was not saved."]).join(" ");
      }
      updateProgress();
    }).catch(function () {
      pending = Math.max(0, pending - 1);
      delete claim.dataset.pending;
      error.textContent = "The verdict was not saved (no connection?). Try again.";
    });
    return true;
  }

  function advance() {
    var next = nextOpen(current);
    if (next) {
      select(next);
    } else {
      // Every claim has a verdict (or one on its way): the decision is next, one Enter away.
      var approve = document.getElementById("approve");
      if (approve) {
        approve.scrollIntoView({ block: "center" });
        approve.focus({ preventScroll: true });
      }
    }
    updateProgress();
  }

  workspace.addEventListener("submit", function (event) {
    var form = event.target.closest("form.claim-form");
    if (!form) return;
    event.preventDefault();
    var claim = form.closest("li.claim");
    var verdict = event.submitter ? event.submitter.value : "supported";
    select(claim);
    if (send(claim, verdict)) advance();
  });

  function noteFor(form, verdict) {
    form.dataset.noteVerdict = verdict;
    var note = form.querySelector("input[name=note]");
    note.setAttribute("placeholder", verdict === "partly_supported"
      ? "Partly supported: what is missing? Then Enter"
      : "Not supported: why? Then Enter");
    return note;
  }

  workspace.addEventListener("keydown", function (event) {
    // Enter in a locator field confirms "supported, here"; in the note field it records the
    // verdict the note was opened for (p or x; "not supported" when typed into directly).
    if (event.key !== "Enter") return;
    var field = event.target;
    var isLocator = field.classList && field.classList.contains("claim-locator");
    if (!isLocator && field.name !== "note") return;
    event.preventDefault();
    var claim = field.closest("li.claim");
    var form = field.closest("form.claim-form");
    var verdict = isLocator ? "supported" : (form.dataset.noteVerdict || "not_supported");
    select(claim, true);
    if (send(claim, verdict)) advance();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.target.isContentEditable) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (!current) return;
    var form = current.querySelector("form.claim-form");
    if (event.key === "s" && form) {
      event.preventDefault();
      var locator = form.querySelector("input.claim-locator");
      if (locator) {
        locator.focus();
        locator.select();
      }
    } else if ((event.key === "x" || event.key === "p") && form) {
      event.preventDefault();
      noteFor(form, event.key === "p" ? "partly_supported" : "not_supported").focus();
    } else if (event.key === "j") {
      event.preventDefault();
      advance();
    } else if (event.key === "k") {
      event.preventDefault();
      var index = claims.indexOf(current);
      if (index > 0) select(claims[index - 1]);
    }
  });

  workspace.addEventListener("click", function (event) {
    var claim = event.target.closest("li.claim");
    if (claim && claim !== current) {
      if (current) current.classList.remove("claim--current");
      current = claim;
      claim.classList.add("claim--current");
    }
  });

  var link = document.getElementById("next-unchecked");
  if (link) {
    link.addEventListener("click", function (event) {
      var target = nextOpen(current && isOpen(current) ? claims[claims.indexOf(current) - 1] : current);
      if (!target) return;
      event.preventDefault();
      select(target);
    });
  }

  // Start where the reviewer was (#claim-N after a POST without script), else at the first
  // unchecked claim.
  var fromHash = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  select(fromHash && claims.indexOf(fromHash) >= 0 ? fromHash : nextOpen(null) || claims[0], true);
  updateProgress();
})();
