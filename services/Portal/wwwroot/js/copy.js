// Copy buttons: a button with data-copy="<element id>" copies that element's text. Without script (or without the
// Clipboard API) the buttons stay hidden and the text can be selected by hand.
(function () {
    if (!navigator.clipboard) {
        return;
    }
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
        var source = document.getElementById(button.getAttribute("data-copy"));
        var status = button.parentElement.querySelector(".copy-status");
        if (!source) {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            navigator.clipboard.writeText(source.textContent.trim()).then(function () {
                if (status) { status.textContent = "Copied."; }
            }, function () {
                if (status) { status.textContent = "Could not copy: select the text and copy it yourself."; }
            });
        });
    });
})();
