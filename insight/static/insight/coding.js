/* Coding at keyboard speed (progressive: without it every form and button works as usual).
   Shortcuts act only while the focus is inside the list of items, never while typing in a
   field, and can be turned off (WCAG 2.1.4): j / k next / previous item, 1 to 9 tick the
   first nine themes of the item, s saves it and goes to the next, a accepts the first
   suggested theme, f ticks the safeguarding flag. */
(function () {
  "use strict";
  var list = document.getElementById("insight-items");
  if (!list) { return; }
  var help = document.querySelector("[data-shortcuts]");
  var toggle = document.getElementById("insight-shortcuts-on");
  var announce = document.getElementById("insight-announce") || document.createElement("p");
  var STORE = "insight-coding-shortcuts";

  if (help && toggle) {
    help.hidden = false;
    try { toggle.checked = window.localStorage.getItem(STORE) !== "off"; } catch (e) { /* private mode */ }
    toggle.addEventListener("change", function () {
      try { window.localStorage.setItem(STORE, toggle.checked ? "on" : "off"); } catch (e) { /* ignore */ }
    });
  }

  function items() { return Array.prototype.slice.call(list.querySelectorAll(".insight-item")); }

  function typing(element) {
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable) { return true; }
    return tag === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(element.type);
  }

  function say(text) { announce.textContent = text; }

  function go(item) {
    item.focus();
    item.scrollIntoView({ block: "start" });
  }

  function toggleBox(box) {
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    var label = box.labels && box.labels[0] ? box.labels[0].textContent.replace(/^\s*\d\s*/, "") : "";
    say(label.trim() + ": " + (box.checked ? announce.dataset.on : announce.dataset.off));
  }

  list.addEventListener("keydown", function (event) {
    if (!toggle || !toggle.checked) { return; }
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var all = items();
    var item = event.target.closest(".insight-item");
    var at = item ? all.indexOf(item) : -1;
    var key = event.key;
    if (key === "j" || key === "k") {
      var next = all[key === "j" ? at + 1 : Math.max(at - 1, 0)];
      if (next) { event.preventDefault(); go(next); }
      return;
    }
    var form = item && item.querySelector("form.insight-code");
    if (!form) { return; }
    if (/^[1-9]$/.test(key)) {
      var box = form.querySelectorAll('input[name="themes"]')[Number(key) - 1];
      if (box) { event.preventDefault(); toggleBox(box); }
    } else if (key === "f") {
      event.preventDefault();
      toggleBox(form.querySelector('input[name="safeguarding"]'));
    } else if (key === "s") {
      event.preventDefault();
      form.requestSubmit(form.querySelector("button[data-save]"));
    } else if (key === "a") {
      var accept = form.querySelector('button[name="accept"]');
      if (accept) { event.preventDefault(); form.requestSubmit(accept); }
    }
  });

  // Back from a save: the focus goes to the item the address names (the next one to code).
  var summary = document.querySelector(".error-summary");
  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (summary) { summary.focus(); }
  else if (target && target.classList.contains("insight-item")) { target.focus(); }
})();
