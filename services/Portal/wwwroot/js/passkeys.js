// Passkeys (WebAuthn), the enhancement of the portal's forms: a form with data-passkey="register", "sign-in" or
// "second-factor" gets its button shown, and submitting it asks its page (its action) for options
// (?handler=options), runs the browser's passkey dialog, and sends the credential back (?handler=complete) with the
// form's own fields (the anti-forgery token among them). The page answers JSON: { redirect } or { error }.
// Without script, or in a browser without passkeys, the buttons stay hidden and the password and code forms work.
(function () {
    if (!window.PublicKeyCredential || !navigator.credentials) {
        return;
    }

    function fromBase64Url(text) {
        var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
        var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
        var bytes = new Uint8Array(binary.length);
        for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
        return bytes.buffer;
    }

    function toBase64Url(buffer) {
        var bytes = new Uint8Array(buffer), binary = "";
        for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
        return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }

    // The server's JSON options without nulls (browsers refuse null enums), binary fields as ArrayBuffers.
    function withoutNulls(value) {
        if (Array.isArray(value)) { return value.map(withoutNulls); }
        if (value && typeof value === "object") {
            var copy = {};
            Object.keys(value).forEach(function (key) {
                if (value[key] !== null && value[key] !== undefined) { copy[key] = withoutNulls(value[key]); }
            });
            return copy;
        }
        return value;
    }

    function decodeOptions(json) {
        var options = withoutNulls(json);
        options.challenge = fromBase64Url(options.challenge);
        if (options.user) { options.user.id = fromBase64Url(options.user.id); }
        ["excludeCredentials", "allowCredentials"].forEach(function (list) {
            (options[list] || []).forEach(function (descriptor) { descriptor.id = fromBase64Url(descriptor.id); });
        });
        return options;
    }

    function encodeCredential(credential) {
        var response = credential.response, encoded = { clientDataJSON: toBase64Url(response.clientDataJSON) };
        if (response.attestationObject) {
            encoded.attestationObject = toBase64Url(response.attestationObject);
            encoded.transports = response.getTransports ? response.getTransports() : [];
        } else {
            encoded.authenticatorData = toBase64Url(response.authenticatorData);
            encoded.signature = toBase64Url(response.signature);
            if (response.userHandle) { encoded.userHandle = toBase64Url(response.userHandle); }
        }
        return JSON.stringify({
            id: credential.id,
            rawId: toBase64Url(credential.rawId),
            type: credential.type,
            response: encoded,
            clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
        });
    }

    function post(form, handler, extra) {
        var body = new URLSearchParams(new FormData(form));
        Object.keys(extra || {}).forEach(function (key) { body.set(key, extra[key]); });
        return fetch(form.getAttribute("action") + "?handler=" + handler, {
            method: "POST",
            body: body,
            credentials: "same-origin",
            headers: { "Accept": "application/json" },
        }).then(function (response) {
            return response.json().catch(function () { return { error: notJson(response.status) }; });
        });
    }

    // The page's handlers always answer JSON; anything else came from before them: the form's anti-forgery check
    // (the browser signed in or out in another tab since this page was loaded) or the gateway's rate limit.
    function notJson(status) {
        if (status === 400) { return "This page is out of date: you signed in or out in another tab. Reload the page and try again."; }
        if (status === 429) { return "Too many requests from your network. Try again in a minute."; }
        return "Something went wrong on our side. Please try again in a minute.";
    }

    function show(form, message) {
        var status = form.querySelector(".passkey-status");
        if (status) { status.textContent = message; }
    }

    function answer(form, result) {
        if (result && result.redirect) {
            window.location.assign(result.redirect);
            return;
        }
        show(form, (result && result.error) || "The passkey did not work. Try again, or use another way.");
    }

    // One passkey request at a time: a new one (a button pressed) ends the waiting autofill request.
    var pending = null;

    function run(form, mediation) {
        if (pending) { pending.abort(); }
        var controller = new AbortController();
        pending = controller;
        var register = form.getAttribute("data-passkey") === "register";
        return post(form, "options").then(function (result) {
            if (!result || !result.options) {
                answer(form, result);
                return;
            }
            var request = { publicKey: decodeOptions(result.options), signal: controller.signal };
            if (mediation) { request.mediation = mediation; }
            var asked = register ? navigator.credentials.create(request) : navigator.credentials.get(request);
            return asked.then(function (credential) {
                if (!credential) { return; }
                show(form, "Checking your passkey…");
                return post(form, "complete", { credential: encodeCredential(credential) }).then(function (done) { answer(form, done); });
            }, function (error) {
                if (error && error.name === "AbortError") { return; }
                show(form, register
                    ? "No passkey was added. You can try again."
                    : "The passkey was not used. Try again, or sign in another way.");
            });
        }, function () {
            show(form, "We could not reach the server. Try again in a moment.");
        });
    }

    document.querySelectorAll("form[data-passkey]").forEach(function (form) {
        form.hidden = false;
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            show(form, "");
            run(form, null);
        });
        // Sign-in: offer the site's passkeys in the email field's autofill where the browser supports it.
        if (form.hasAttribute("data-passkey-autofill") && PublicKeyCredential.isConditionalMediationAvailable) {
            PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
                if (available && !pending) { run(form, "conditional"); }
            });
        }
    });
})();
