// Warns before the idle timeout signs a member of staff out, and lets
// them stay signed in (issue 16, item 5; WCAG 2.2.1, Timing Adjustable).
// The staff layout loads it, as a module, only for a signed-in page,
// whose <body> carries the idle timeout in seconds as data-idle-timeout,
// in place of init.js, which it imports: so a page still has one script,
// the one that starts it. Without JavaScript nothing changes: a form sent
// after the timeout is kept and sent once its sender signs in again.
import "/assets/init.js";

(function () {
  var timeout = Number(document.body.getAttribute("data-idle-timeout"));
  var main = document.getElementById("main-content");
  if (!(timeout > 0) || !main || !window.fetch) {
    return;
  }
  // Warn two minutes before, or half way for a very short timeout.
  var lead = Math.min(120, timeout / 2);
  var banner = null;
  var timers = [];

  function later(fn, seconds) {
    timers.push(window.setTimeout(fn, seconds * 1000));
  }

  function clear() {
    timers.forEach(window.clearTimeout);
    timers = [];
    if (banner) {
      banner.remove();
      banner = null;
    }
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text) {
      e.textContent = text;
    }
    return e;
  }

  // show puts a GOV.UK notification banner at the top of the page. It is
  // an alert, so a screen reader announces it at once, but it does not
  // take the focus from someone typing.
  function show(heading, text, success) {
    clear();
    banner = el("div", "govuk-notification-banner redress-session-notice" + (success ? " govuk-notification-banner--success" : ""));
    banner.setAttribute("role", "alert");
    banner.setAttribute("aria-labelledby", "session-notice-title");
    banner.id = "session-notice";
    var header = el("div", "govuk-notification-banner__header");
    var title = el("h2", "govuk-notification-banner__title", success ? "Success" : "Important");
    title.id = "session-notice-title";
    header.appendChild(title);
    var content = el("div", "govuk-notification-banner__content");
    content.appendChild(el("p", "govuk-notification-banner__heading", heading));
    content.appendChild(el("p", "govuk-body", text));
    banner.appendChild(header);
    banner.appendChild(content);
    main.insertBefore(banner, main.firstChild);
    return content;
  }

  function minutes(seconds) {
    var m = Math.max(1, Math.round(seconds / 60));
    return m === 1 ? "1 minute" : m + " minutes";
  }

  function warn() {
    var content = show("You will be signed out soon",
      "You have not used this service for a while, so to protect the information in it you will be signed out in " +
      minutes(lead) + ". Anything you send from this page after that is kept, and sent once you sign in again.");
    var button = el("button", "govuk-button govuk-!-margin-bottom-0", "Stay signed in");
    button.type = "button";
    button.id = "stay-signed-in";
    button.addEventListener("click", stay);
    content.appendChild(button);
    later(signedOut, lead);
  }

  function signedOut() {
    var content = show("You have been signed out",
      "You have not used this service for a while. Anything you send from this page is kept, and sent once you sign in again.");
    var p = el("p", "govuk-body");
    var a = el("a", "govuk-notification-banner__link", "Sign in again");
    a.href = "/sign-in?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    p.appendChild(a);
    content.appendChild(p);
  }

  function stay() {
    // manual: a session that has ended already answers with a redirect
    // to sign in, which must not be mistaken for success.
    window.fetch("/session/refresh", { method: "POST", credentials: "same-origin", redirect: "manual" })
      .then(function (res) {
        if (res.status !== 204) {
          signedOut();
          return;
        }
        show("You are still signed in", "You will stay signed in for another " + minutes(timeout) + " unless you use the service before then.", true);
        // The button that had the focus is gone: give it to the news.
        banner.setAttribute("tabindex", "-1");
        banner.focus();
        start();
      })
      .catch(signedOut);
  }

  function start() {
    later(warn, timeout - lead);
  }

  start();
})();
