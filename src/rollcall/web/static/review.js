// Keys for the review page: a accept, r reject, n next. The page works without this.
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  var ids = { a: "accept", r: "reject", n: "next" };
  var element = document.getElementById(ids[event.key]);
  if (!element) return;
  event.preventDefault();
  element.click();
});
