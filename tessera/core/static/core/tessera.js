/* Tessera's own script: small behaviours the templates declare with data- attributes (no inline JS). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    // A new inline line that is cancelled never existed on the server: just drop its row.
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      event.preventDefault();
      remove.closest("tr").remove();
    }
  });
  document.addEventListener("submit", function (event) {
    // Forms marked data-confirm ask first (deleting, revoking).
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    // A select or checkbox marked data-autosubmit submits its form at once (language, filters).
    var element = event.target.closest("[data-autosubmit]");
    if (element && element.form) {
      element.form.requestSubmit();
    }
  });
  // @mentions in a comment box (textarea[data-mention-url]): suggest users as one types "@na", insert "@name ".
  var mentionRequest = 0;
  function mentionState(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = /(^|[^\w@.+-])@([\w.@+-]*)$/.exec(before);
    return match ? { term: match[2], start: before.length - match[2].length - 1 } : null;
  }
  function mentionList(textarea) {
    return textarea.parentElement.querySelector(".mention-suggestions");
  }
  function mentionClose(textarea) {
    var list = mentionList(textarea);
    if (list) { list.classList.add("d-none"); list.innerHTML = ""; }
  }
  function mentionInsert(textarea, username) {
    var state = mentionState(textarea);
    if (!state) { return; }
    var after = textarea.value.slice(textarea.selectionStart);
    textarea.value = textarea.value.slice(0, state.start) + "@" + username + " " + after;
    var caret = state.start + username.length + 2;
    textarea.setSelectionRange(caret, caret);
    mentionClose(textarea);
    textarea.focus();
  }
  document.addEventListener("input", function (event) {
    var textarea = event.target.closest("textarea[data-mention-url]");
    if (!textarea) { return; }
    var state = mentionState(textarea);
    if (!state) { mentionClose(textarea); return; }
    var request = ++mentionRequest;
    fetch(textarea.dataset.mentionUrl + "?q=" + encodeURIComponent(state.term), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (request !== mentionRequest) { return; }
        var list = mentionList(textarea);
        list.innerHTML = "";
        data.results.forEach(function (user) {
          var option = document.createElement("button");
          option.type = "button";
          option.className = "list-group-item list-group-item-action py-1";
          option.setAttribute("role", "option");
          option.dataset.mention = user.username;
          option.textContent = user.name === user.username ? "@" + user.username : user.name + " (@" + user.username + ")";
          list.appendChild(option);
        });
        list.classList.toggle("d-none", data.results.length === 0);
      });
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-mention]");
    if (!option) { return; }
    event.preventDefault();
    mentionInsert(option.closest(".position-relative").querySelector("textarea[data-mention-url]"), option.dataset.mention);
  });
  document.addEventListener("keydown", function (event) {
    var textarea = event.target.closest("textarea[data-mention-url]");
    if (!textarea) { return; }
    var first = mentionList(textarea) && mentionList(textarea).querySelector("[data-mention]");
    if (event.key === "Escape") { mentionClose(textarea); }
    if ((event.key === "Enter" || event.key === "Tab") && first && !mentionList(textarea).classList.contains("d-none")) {
      event.preventDefault();
      mentionInsert(textarea, first.dataset.mention);
    }
  });
})();
