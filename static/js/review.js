// The review workspace (admin only): verdicts are saved with fetch and the page is updated in
// place, so the reviewer never loses their place; keyboard shortcuts s (supported),
// x (not supported: type the note, then Enter), j (next unchecked claim), k (previous claim).
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

  function isOpen(claim) {
    return claim.classList.contains("claim--unchecked") && !claim.dataset.pending;
  }

  function select(claim) {
    if (!claim) return;
    if (current) current.classList.remove("claim--current");
    current = claim;
    claim.classList.add("claim--current");
    claim.focus({ preventScroll: true });
    claim.scrollIntoView({ block: "center" });
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
    var link = document.getElementById("next-unchecked");
    var next = nextOpen(current);
    if (link) {
      if (next) {
        link.textContent = "Next unchecked claim (" + next.dataset.position + ")";
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
    verdict.appendChild(document.createTextNode(
      " by " + data.checked_by + (data.note ? ": " + data.note : "")));
    claim.classList.remove("claim--unchecked", "claim--supported", "claim--not_supported");
    claim.classList.add("claim--" + data.verdict);
  }

  function send(claim, verdict) {
    var form = claim.querySelector("form.claim-form");
    if (!form || claim.dataset.pending) return false;
    var error = form.querySelector(".claim-error");
    var body = new FormData(form);
    body.set("verdict", verdict);
    if (verdict === "not_supported" && !String(body.get("note") || "").trim()) {
      error.textContent = "Say why it is not supported: type a note, then press Enter.";
      form.querySelector("input[name=note]").focus();
      return false;
    }
    error.textContent = "";
    claim.dataset.pending = "1";
    queue = queue.then(function () {
      return fetch(form.action, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      delete claim.dataset.pending;
      if (result.ok && result.data.ok) {
        showVerdict(claim, result.data);
        form.querySelector("input[name=note]").value = "";
      } else {
        error.textContent = (result.data.errors || ["The verdict was not saved."]).join(" ");
      }
      updateProgress();
    }).catch(function () {
      delete claim.dataset.pending;
      error.textContent = "The verdict was not saved (no connection?). Try again.";
    });
    return true;
  }

  function advance() {
    var next = nextOpen(current);
    if (next) select(next);
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

  workspace.addEventListener("keydown", function (event) {
    // Enter in a note field means "not supported, for this reason".
    if (event.key !== "Enter" || event.target.name !== "note") return;
    event.preventDefault();
    var claim = event.target.closest("li.claim");
    select(claim);
    if (send(claim, "not_supported")) advance();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.target.isContentEditable) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (!current) return;
    if (event.key === "s") {
      event.preventDefault();
      if (send(current, "supported")) advance();
    } else if (event.key === "x") {
      event.preventDefault();
      var note = current.querySelector("input[name=note]");
      if (note) note.focus();
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
  select(fromHash && claims.indexOf(fromHash) >= 0 ? fromHash : nextOpen(null) || claims[0]);
  updateProgress();
})();
