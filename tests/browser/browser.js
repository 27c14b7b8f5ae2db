// Drives Debian's Chromium through playwright-core for backissue's browser tests.
//   node browser.js axe BASE_URL WIDTHS PATH...   -> JSON: [{path, width, violations: [...]}]
//   node browser.js fold URL                       -> JSON: {before, after} open state of the first <details>, JavaScript off
//   node browser.js shot URL WIDTH OUT.png         -> full-page screenshot
//   node browser.js live URL TEXT                  -> prints "ready", then waits for TEXT to appear by itself
//   node browser.js measure URL WIDTH              -> JSON: masthead height, nav items per line, page height, h1 lines,
//                                                     the boxes of the site title and the masthead's tools, page width
//   node browser.js hostile BASE_URL PATH...       -> JSON: {dialogs, errors, offsite} seen while loading the pages
//   node browser.js notice URL SELECTOR            -> JSON: {text, top, scrolledTop, dismissed} of a preview notice
//   node browser.js clicks URL                     -> JSON: {hrefs, dialogs, offsite} after a real click on every link
//   node browser.js search URL WIDTH [TYPED] [FILTER=VALUE] [axe]
//                                                  -> JSON: the search page's status, results (and axe violations)
//                                                     once it has answered, after typing TYPED and choosing a filter
//   node browser.js thread URL WIDTH               -> JSON: direction, and the boxes of the first comment and its first reply
const path = require('path');
const { chromium } = require('playwright-core');

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE = path.join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

async function withBrowser(work) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  try { return await work(browser); } finally { await browser.close(); }
}

async function axe(base, widths, paths) {
  return withBrowser(async (browser) => {
    const results = [];
    for (const width of widths) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      for (const p of paths) {
        await page.goto(base + p, { waitUntil: 'load' });
        await page.addScriptTag({ path: AXE });
        const found = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
        results.push({ path: p, width, violations: found.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.html) })) });
      }
      await page.close();
    }
    return results;
  });
}

async function fold(url) {
  return withBrowser(async (browser) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    const details = page.locator('details').first();
    const before = await details.evaluate((d) => d.open);
    await details.locator('summary').first().click();
    const after = await details.evaluate((d) => d.open);
    return { before, after };
  });
}

async function shot(url, width, out) {
  return withBrowser(async (browser) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(url, { waitUntil: 'load' });
    await page.evaluate(async () => {  // bring lazy images in before the full-page shot
      for (let y = 0; y < document.body.scrollHeight; y += 600) { window.scrollTo(0, y); await new Promise((r) => setTimeout(r, 30)); }
      window.scrollTo(0, 0);
    });
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: out, fullPage: true });
    return { out };
  });
}

async function measure(url, width) {
  return withBrowser(async (browser) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(url, { waitUntil: 'load' });
    return page.evaluate(() => {
      const rows = {};
      for (const item of document.querySelectorAll('.site-nav li')) {
        const top = Math.round(item.getBoundingClientRect().top);
        rows[top] = (rows[top] || 0) + 1;
      }
      const h1 = document.querySelector('h1');
      const style = h1 ? getComputedStyle(h1) : null;
      const box = (selector) => {
        const found = document.querySelector(selector);
        if (!found) return null;
        const { top, bottom, left, right } = found.getBoundingClientRect();
        return { top, bottom, left, right };
      };
      return {
        masthead: document.querySelector('.masthead').getBoundingClientRect().height,
        navRows: Object.keys(rows).map(Number).sort((a, b) => a - b).map((top) => rows[top]),
        height: document.documentElement.scrollHeight,
        h1Lines: h1 ? Math.round(h1.getBoundingClientRect().height / parseFloat(style.lineHeight)) : 0,
        title: box('.site-title'),
        tools: box('.masthead-tools'),
        pageWidth: document.documentElement.scrollWidth,
      };
    });
  });
}

async function thread(url, width) {
  return withBrowser(async (browser) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(url, { waitUntil: 'load' });
    return page.evaluate(() => {
      const box = (element) => { const r = element.getBoundingClientRect(); return { left: r.left, right: r.right }; };
      const parent = document.querySelector('.thread > .comment');
      const replies = parent.querySelector('.replies');
      const style = getComputedStyle(replies);
      return {
        direction: getComputedStyle(parent).direction,
        parent: box(parent.querySelector('.comment-card')),
        reply: box(replies.querySelector('.comment-card')),
        rule: { left: parseFloat(style.borderLeftWidth), right: parseFloat(style.borderRightWidth) },
      };
    });
  });
}

async function live(url, expected) {
  // Opens the page, says "ready", then waits (without reloading it ourselves) for the expected text.
  return withBrowser(async (browser) => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => document.readyState === 'complete');
    await new Promise((r) => setTimeout(r, 300));  // let the event stream connect
    process.stdout.write('ready\n');
    await page.waitForFunction((text) => document.body.innerText.includes(text), expected, { timeout: 20000 });
    return { updated: true };
  });
}

async function hostile(base, paths) {
  // Loads each page and reports anything a payload could make happen: dialogs, errors, requests elsewhere.
  return withBrowser(async (browser) => {
    const page = await browser.newPage();
    const found = { dialogs: [], errors: [], offsite: [] };
    const local = new URL(base).host;
    page.on('dialog', async (dialog) => { found.dialogs.push(`${page.url()}: ${dialog.message()}`); await dialog.dismiss(); });
    page.on('pageerror', (error) => found.errors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => { if (message.type() === 'error') found.errors.push(`${page.url()}: ${message.text()}`); });
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.host !== local && url.protocol !== 'data:') { found.offsite.push(url.href); return route.abort(); }
      return route.continue();
    });
    for (const p of paths) {
      await page.goto(base + p, { waitUntil: 'load' });
      await page.evaluate(() => {  // hover and focus everything, as a reader's pointer and keyboard would
        for (const element of document.querySelectorAll('*')) {
          for (const type of ['mouseover', 'focus', 'click']) element.dispatchEvent(new Event(type));
        }
      });
      await new Promise((r) => setTimeout(r, 50));
    }
    return found;
  });
}

async function notice(url, selector) {
  // Where a preview notice sits (page top, and in the viewport after scrolling), and whether its button dismisses it.
  return withBrowser(async (browser) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 600 } });
    await page.goto(url, { waitUntil: 'load' });
    const box = page.locator(selector).first();
    const text = await box.innerText();
    const top = await box.evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const scrolledTop = await box.evaluate((e) => e.getBoundingClientRect().top);
    const button = box.locator('button');
    let dismissed = false;
    if (await button.count()) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await button.click();
      dismissed = (await page.locator(selector).count()) === 0;
    }
    return { text, top, scrolledTop, dismissed };
  });
}

async function clicks(url) {
  // Clicks every link of the page with the mouse, one per fresh load, as a reader would; nothing leaves the host.
  return withBrowser(async (browser) => {
    const page = await browser.newPage();
    const found = { hrefs: [], dialogs: [], offsite: [] };
    const local = new URL(url).host;
    page.on('dialog', async (dialog) => { found.dialogs.push(dialog.message()); await dialog.dismiss(); });
    await page.route('**/*', (route) => {
      const target = new URL(route.request().url());
      if (target.host !== local) { found.offsite.push(target.href); return route.abort(); }
      return route.continue();
    });
    await page.goto(url, { waitUntil: 'load' });
    const count = await page.locator('a[href]').count();
    for (let i = 0; i < count; i++) {
      await page.goto(url, { waitUntil: 'load' });
      const link = page.locator('a[href]').nth(i);
      found.hrefs.push(await link.getAttribute('href'));
      await link.click({ force: true, noWaitAfter: true, timeout: 3000 }).catch(() => {});
      await new Promise((r) => setTimeout(r, 150));
    }
    return found;
  });
}

async function search(url, width, typed, filter, withAxe) {
  return withBrowser(async (browser) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('dialog', async (dialog) => { errors.push(`dialog: ${dialog.message()}`); await dialog.dismiss(); });
    await page.goto(url, { waitUntil: 'load' });
    const answered = () => {
      const status = document.getElementById('search-status');
      // a count or "nothing found" ends in a full stop in every language; "Searching…" does not
      return !document.getElementById('search-file').hidden || /\.$/.test(status.textContent);
    };
    const settle = async () => {  // the page searches 250 ms after the last keystroke
      await new Promise((r) => setTimeout(r, 600));
      await page.waitForFunction(answered, null, { timeout: 10000 });
    };
    if (typed) { await page.fill('#search-query', ''); await page.type('#search-query', typed, { delay: 20 }); await settle(); }
    if (filter) {
      const [name, value] = filter.split('=');
      await page.waitForSelector(`#search-${name}`);
      await page.selectOption(`#search-${name}`, value);
      await settle();
    }
    if (!typed && !filter) await page.waitForFunction(answered, null, { timeout: 10000 });
    const shown = await page.evaluate(() => ({
      status: document.getElementById('search-status').textContent,
      fileNote: !document.getElementById('search-file').hidden,
      query: document.getElementById('search-query').value,
      address: location.search,
      results: [...document.querySelectorAll('#search-results > li')].map((item) => ({
        title: item.querySelector('h2').textContent,
        href: item.querySelector('a').href,
        details: item.querySelector('.search-details').textContent,
        marks: [...item.querySelectorAll('mark')].map((mark) => mark.textContent),
        excerpt: item.querySelector('.search-excerpt').textContent,
      })),
      scripts: document.querySelectorAll('script').length,
    }));
    if (withAxe) {
      await page.addScriptTag({ path: AXE });
      const found = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
      shown.violations = found.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.html) }));
    }
    shown.errors = errors;
    return shown;
  });
}

(async () => {
  const [command, ...args] = process.argv.slice(2);
  let result;
  if (command === 'axe') result = await axe(args[0], args[1].split(',').map(Number), args.slice(2));
  else if (command === 'fold') result = await fold(args[0]);
  else if (command === 'shot') result = await shot(args[0], Number(args[1]), args[2]);
  else if (command === 'measure') result = await measure(args[0], Number(args[1]));
  else if (command === 'live') result = await live(args[0], args[1]);
  else if (command === 'thread') result = await thread(args[0], Number(args[1]));
  else if (command === 'hostile') result = await hostile(args[0], args.slice(1));
  else if (command === 'notice') result = await notice(args[0], args[1]);
  else if (command === 'clicks') result = await clicks(args[0]);
  else if (command === 'search') result = await search(args[0], Number(args[1]), args[2], args[3], args[4] === 'axe');
  else throw new Error(`unknown command ${command}`);
  process.stdout.write(JSON.stringify(result));
})().catch((error) => { console.error(error); process.exit(2); });
