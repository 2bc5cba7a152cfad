// The trace panel's HTML page, with its Content-Security-Policy: pure, so the browser test
// serves exactly the page VS Code shows.

/** The page's HTML for given resource URLs (the browser test serves the same page from disk). */
export function panelPage(p: { nonce: string; cspSource: string; script: string; style: string }): string {
  const csp = [`default-src 'none'`, `img-src ${p.cspSource} data:`, `style-src ${p.cspSource} 'nonce-${p.nonce}'`, `script-src 'nonce-${p.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${p.nonce}" href="${p.style}">
<title>DTrace Trace</title>
</head>
<body>
<main id="root"></main>
<script nonce="${p.nonce}" src="${p.script}"></script>
</body>
</html>
`;
}
