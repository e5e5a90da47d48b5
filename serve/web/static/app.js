// Progressive enhancement only: every action works without this script.
// "Copy" buttons next to read-only link fields copy the link to the clipboard.
document.addEventListener("DOMContentLoaded", function () {
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
