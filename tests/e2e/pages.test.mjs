// Every page, in French and in English: zero axe-core violations (WCAG 2.1 A/AA and best
// practices), the right html[lang], the expected status. Plus the skip link and the language switch.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ADMIN, T, TERRITORY, assertFocusVisible, checkAxe, checkLang, focusState, launchBrowser, logIn, newContext, startServer,
} from './helpers.mjs';

const CITIZEN = { email: 'citoyenne@exemple.fr', password: 'citoyenne-passerelle', role: 'citoyen', territory: TERRITORY };
// Pages checked side by side: Chromium's renderers, the server and axe-core keep 2 cores busy.
const CONCURRENCY = Number(process.env.E2E_CONCURRENCY) || 3;
const LEGAL = ['mentions-legales', 'accessibilite', 'donnees-personnelles', 'charte'];

// [path, who is signed in, expected status]
const PAGES = [
  ['/', 'anon', 200],
  [`/t/${TERRITORY}/`, 'anon', 200],
  ...LEGAL.map((p) => [`/${p}`, 'anon', 200]),
  ...LEGAL.map((p) => [`/t/${TERRITORY}/${p}`, 'anon', 200]),
  ['/recherche', 'anon', 200],
  ['/recherche?q=num%C3%A9rique', 'anon', 200],       // hits with highlighted snippets and facets
  ['/recherche?q=numeriqe', 'anon', 200],             // "vouliez-vous dire"
  ['/recherche?q=zzzzqqq', 'anon', 200],              // no result
  ['/admin/federation', 'admin', 200],
  [`/t/${TERRITORY}/admin/federation`, 'admin', 200],
  ['/connexion', 'anon', 200],
  ['/inscription', 'anon', 200],
  ['/mot-de-passe-oublie', 'anon', 200],
  ['/mot-de-passe/nouveau?jeton=x', 'anon', 200],
  ['/page-inexistante', 'anon', 404],  // the legal-page route answers 404
  ['/rien/du/tout', 'anon', 404],      // no route at all: the server's own error page
  ['/admin/', 'citizen', 403],
  [`/t/${TERRITORY}/admin/`, 'citizen', 403],
  ['/compte', 'citizen', 200],
  ['/compte', 'admin', 200],
  [`/t/${TERRITORY}/`, 'admin', 200],
  ['/admin/', 'admin', 200],
  ['/admin/comptes', 'admin', 200],
  ['/admin/courriels', 'admin', 200],
  ['/admin/journal', 'admin', 200],
  [`/t/${TERRITORY}/admin/`, 'admin', 200],
  [`/t/${TERRITORY}/admin/pages/charte`, 'admin', 200],
  [`/t/${TERRITORY}/charte`, 'admin', 200],
];

let server;
let browser;
const contexts = {};

// Pages are reused from one check to the next (opening a tab costs more than loading a page).
const idle = new Map();
async function withPage(ctx, fn) {
  if (!idle.has(ctx)) idle.set(ctx, []);
  const page = idle.get(ctx).pop() ?? await ctx.newPage();
  try {
    return await fn(page);
  } finally {
    idle.get(ctx).push(page);
  }
}

before(async () => {
  server = await startServer({ users: [CITIZEN] });
  browser = await launchBrowser();
  await Promise.all(['fr', 'en'].flatMap((lang) => ['anon', 'citizen', 'admin'].map(async (who) => {
    const ctx = await newContext(browser, server, lang);
    ctx.setDefaultTimeout(15_000);
    contexts[`${who}-${lang}`] = ctx;
    if (who !== 'anon') await withPage(ctx, (page) => logIn(page, who === 'admin' ? ADMIN : CITIZEN));
  })));
  // Something in the outbox, so that /admin/courriels shows a message.
  await withPage(contexts['anon-fr'], async (page) => {
    await page.goto('/mot-de-passe-oublie');
    await page.fill('#champ-email', CITIZEN.email);
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('main button[type=submit]')]);
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function checkPage(ctx, path, lang, status) {
  return withPage(ctx, async (page) => {
    const res = await page.goto(path);
    assert.equal(res.status(), status, `${path} : statut HTTP`);
    await checkLang(page, lang, path);
    assert.equal((await page.textContent('a.skip-link')).trim(), T[lang]['nav.skip'], `${path} : texte dans la langue ${lang}`);
    assert.equal(await page.locator('h1').count(), 1, `${path} : un seul h1`);
    await checkAxe(page, `${path} [${lang}]`);
  });
}

for (const lang of ['fr', 'en']) {
  describe(`pages en ${lang}`, { concurrency: CONCURRENCY }, () => {
    for (const [path, who, status] of PAGES) {
      test(`${path} (${who}, ${status})`, { timeout: 60_000 }, () => checkPage(contexts[`${who}-${lang}`], path, lang, status));
    }

    test('inscription renvoyée avec des erreurs (résumé des erreurs)', { timeout: 60_000 }, () => withPage(contexts[`anon-${lang}`], async (page) => {
      await page.goto('/inscription');
      await page.fill('#champ-email', 'pas-une-adresse');
      const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('main button[type=submit]')]);
      assert.equal(res.status(), 422);
      await page.waitForLoadState();
      await checkLang(page, lang, 'inscription en erreur');
      const summary = page.locator('.error-summary[role=alert]');
      assert.equal(await summary.count(), 1, 'résumé des erreurs présent');
      const links = summary.locator('a[href^="#champ-"]');
      assert.ok(await links.count() >= 3, 'chaque erreur renvoie à son champ');
      for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        const field = page.locator(href);
        assert.equal(await field.count(), 1, `${href} existe`);
        assert.equal(await field.getAttribute('aria-invalid'), 'true', `${href} : aria-invalid`);
      }
      assert.equal(await page.inputValue('#champ-email'), 'pas-une-adresse', 'la saisie est conservée');
      await checkAxe(page, `inscription en erreur [${lang}]`);
    }));

    test('lien d\'évitement : premier arrêt de tabulation, visible au focus, mène à main#contenu', { timeout: 60_000 }, async () => {
      for (const path of ['/', '/compte']) {
        const page = await contexts[`${path === '/' ? 'anon' : 'admin'}-${lang}`].newPage();
        try {
          await page.goto(path);
          const skip = page.locator('a.skip-link');
          const hidden = await skip.boundingBox();
          assert.ok(!hidden || hidden.width <= 1 || hidden.height <= 1, `${path} : masqué tant qu'il n'a pas le focus`);
          await page.keyboard.press('Tab');
          const s = await assertFocusVisible(page, path);
          assert.equal(s.href, '#contenu', `${path} : le premier arrêt de tabulation est le lien d'évitement (${s.describe})`);
          assert.equal(s.text, T[lang]['nav.skip']);
          const shown = await skip.boundingBox();
          const viewport = page.viewportSize();
          assert.ok(shown && shown.width > 20 && shown.height > 10, `${path} : visible au focus (${JSON.stringify(shown)})`);
          assert.ok(shown.x >= 0 && shown.y >= 0 && shown.x + shown.width <= viewport.width && shown.y + shown.height <= viewport.height,
            `${path} : dans la fenêtre (${JSON.stringify(shown)})`);
          await page.keyboard.press('Enter');
          await page.waitForFunction(() => document.activeElement?.id === 'contenu');
          const target = await assertFocusVisible(page, `${path} après le lien d'évitement`);
          assert.equal(target.tag, 'main');
          // The next Tab goes on inside the main content, not back to the header.
          await page.keyboard.press('Tab');
          assert.ok(await page.evaluate(() => document.querySelector('main#contenu').contains(document.activeElement)),
            `${path} : la tabulation reprend dans le contenu (${(await focusState(page)).describe})`);
        } finally {
          await page.close();
        }
      }
    });
  });
}

test('changement de langue par le lien de l\'en-tête (/langue/…), mémorisé partout', { timeout: 60_000 }, async () => {
  const ctx = await newContext(browser, server, 'fr');
  try {
    const page = await ctx.newPage();
    // The link comes back to the same page, query string included (here the reset token).
    await page.goto('/mot-de-passe/nouveau?jeton=abc123');
    await checkLang(page, 'fr', 'avant');
    const en = page.locator('header a[hreflang=en]');
    assert.equal(await en.getAttribute('lang'), 'en', 'nom de la langue dans sa langue');
    await Promise.all([page.waitForURL((u) => u.pathname === '/mot-de-passe/nouveau'), en.click()]);
    await checkLang(page, 'en', 'après /langue/en');
    assert.equal(new URL(page.url()).search, '?jeton=abc123', 'l\'adresse de retour garde sa requête');
    assert.equal(await page.inputValue('input[name=jeton]'), 'abc123', 'le jeton n\'est pas perdu');
    assert.equal(await page.textContent('h1'), T.en['reset.new_title']);
    await checkAxe(page, 'nouveau mot de passe après /langue/en');
    // The choice holds everywhere, error pages of the server included, whatever Accept-Language says.
    for (const [path, status] of [['/', 200], ['/rien/du/tout', 404], ['/static/introuvable.css', 404]]) {
      const res = await page.goto(path);
      assert.equal(res.status(), status, path);
      await checkLang(page, 'en', `${path} : le choix est mémorisé`);
      assert.equal((await page.textContent('a.skip-link')).trim(), T.en['nav.skip'], `${path} : en anglais`);
    }
    await page.goto('/');
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('header a[hreflang=fr]')]);
    await checkLang(page, 'fr', 'après /langue/fr');
  } finally {
    await ctx.close();
  }
});

test('les courriels, rédigés en français, sont signalés comme tels sur une page en anglais', { timeout: 60_000 }, async () => {
  for (const lang of ['fr', 'en']) {
    await withPage(contexts[`admin-${lang}`], async (page) => {
      await page.goto('/admin/courriels');
      const langs = await page.locator('article.mail :is(h2, pre)').evaluateAll((els) => els.map((el) => el.closest('[lang]').getAttribute('lang')));
      assert.ok(langs.length >= 2, 'au moins un courriel');
      assert.deepEqual([...new Set(langs)], ['fr'], `[${lang}] langue des courriels`);
    });
  }
});

// WCAG 1.4.10 (reflow): at 320 CSS pixels wide, no horizontal scrolling.
test('affichage sur 320 px de large sans défilement horizontal', { timeout: 90_000 }, async () => {
  const pages = [['anon', '/'], ['anon', '/inscription'], ['anon', `/t/${TERRITORY}/`], ['admin', '/compte'], ['admin', '/admin/'],
    ['admin', '/admin/comptes'], ['admin', '/admin/courriels'], ['admin', '/admin/journal'], ['admin', `/t/${TERRITORY}/admin/`]];
  for (const [who, path] of pages) {
    const page = await contexts[`${who}-en`].newPage();
    try {
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(path);
      const { scroll, client, wide } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        wide: [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .slice(0, 5).map((el) => el.outerHTML.slice(0, 80)),
      }));
      assert.ok(scroll <= client, `${path} : ${scroll} px de large pour ${client} px visibles ; dépassent :\n${wide.join('\n')}`);
    } finally {
      await page.close();
    }
  }
});

// The checker itself: a page with known faults must fail, or a passing run would prove nothing.
test('axe-core signale bien les défauts (contrôle du contrôle)', { timeout: 60_000 }, async () => {
  await withPage(contexts['anon-fr'], async (page) => {
    await page.goto('/');
    await page.evaluate(() => {
      document.documentElement.removeAttribute('lang');
      document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="/x.png"><input type="text"><a href="/y"></a>');
    });
    await assert.rejects(checkAxe(page, 'page volontairement fautive'), (e) => ['html-has-lang', 'image-alt', 'label', 'link-name']
      .every((id) => e.message.includes(`- ${id} `)));
  });
});
