// Progressive enhancement only: every action works without this script.
// "Copy" buttons next to read-only link fields copy the link to the clipboard.
document.addEventListener("DOMContentLoaded", function () {
  // A refused form: the reason is at the top of the page, where the eye is;
  // the field at fault gets the focus without scrolling the reason away.
  var fault = document.querySelector("[data-focus]");
  if (fault) { fault.focus({ preventScroll: true }); }
  document.querySelectorAll("[data-copy-target]").forEach(function (btn) {
    var field = document.getElementById(btn.getAttribute("data-copy-target"));
    if (!field || !navigator.clipboard) { return; }
    btn.hidden = false;
    btn.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        btn.textContent = "Copied";
      }, function () {
        field.select();
      });
    });
  });
  document.querySelectorAll("input[data-copy]").forEach(function (f) {
    f.addEventListener("focus", function () { f.select(); });
  });
});
