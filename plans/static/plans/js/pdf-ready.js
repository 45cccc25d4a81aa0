// "Preparing your PDF": ask again every few seconds and, once the PDF is ready, say so in the
// status message with a download link. Nothing reloads or downloads by itself (WCAG 2.2.1 and
// 3.2.5); without JavaScript the "Check again" link does the same.
const status = document.querySelector("[data-pdf-status]");
if (status) {
  const url = status.dataset.pdfUrl;
  let tries = 0;
  const check = async () => {
    tries += 1;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if ((response.headers.get("Content-Type") || "").startsWith("application/pdf")) {
        const text = status.querySelector("p");
        text.textContent = status.dataset.readyText + " ";
        const link = document.createElement("a");
        link.href = url;
        link.textContent = status.dataset.linkText;
        text.append(link);
        return;
      }
      if (response.status >= 400 || response.headers.get("Retry-After") === null) {
        window.location.assign(url); // it failed: show the page that says so
        return;
      }
    } catch (error) {
      // offline for a moment: try again
    }
    if (tries < 40) window.setTimeout(check, 3000);
  };
  window.setTimeout(check, 3000);
}
