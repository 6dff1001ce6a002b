// Moves keyboard and screen-reader focus to a form's error summary after a failed submit.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
