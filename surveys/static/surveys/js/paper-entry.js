/* Keying paper forms at keyboard speed (progressive: without it the form works as usual).
   In a group of radio buttons or tick boxes, typing an option's number (1 to 9) chooses it;
   a group of tick boxes is one Tab stop (arrow keys move inside it, Space ticks); Enter in
   any field but a text area saves the form, and Ctrl+Enter saves it from anywhere; the error
   summary takes focus when there is one. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-paper-entry]");
  if (!form) { return; }
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }

  function group(input) {
    return Array.prototype.slice.call(form.querySelectorAll(
      'input[type="' + input.type + '"][name="' + CSS.escape(input.name) + '"]'));
  }

  // One Tab stop per group of tick boxes, like a radio group.
  var seen = {};
  Array.prototype.forEach.call(form.querySelectorAll('input[type="checkbox"]'), function (box) {
    if (seen[box.name]) { box.tabIndex = -1; } else { seen[box.name] = true; }
  });

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {  // saves from a text area too
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var choice = input.type === "radio" || input.type === "checkbox";
    if (choice && /^[1-9]$/.test(event.key)) {
      var option = group(input)[Number(event.key) - 1];
      if (option) {
        event.preventDefault();
        if (input.type === "radio") { option.checked = true; option.focus(); }
        else { option.checked = !option.checked; }
        option.dispatchEvent(new Event("change", { bubbles: true }));
      }
    } else if (input.type === "checkbox" && /^Arrow(Up|Down|Left|Right)$/.test(event.key)) {
      var boxes = group(input), at = boxes.indexOf(input);
      var next = boxes[(at + (/Up|Left/.test(event.key) ? -1 : 1) + boxes.length) % boxes.length];
      event.preventDefault();
      input.tabIndex = -1; next.tabIndex = 0; next.focus();
    } else if (event.key === "Enter" && input.tagName !== "TEXTAREA" && input.tagName !== "BUTTON"
               && input.tagName !== "A" && input.form === form) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
