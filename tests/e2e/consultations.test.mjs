// The consultation pages in a real browser with JavaScript off: contributing, arguing, voting,
// commenting, reporting, mediated entry and moderation through the plain forms, and axe-core
// on every page (visitor, citizen, mediator and moderator views, an error state included).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN, checkAxe, checkLang, launchBrowser, signedInContext, startServer } from './helpers.mjs';

const CITIZEN = { email: 'habitant-e2e@demo.passerelle.localhost', password: 'une phrase de passe assez longue', role: 'citoyen', territory: 'besancon' };

let server;
let browser;
let citizen;
let admin;
let anon;
let processUrl;

// axe-core needs JavaScript in the page; the pages themselves have no script, and the last test
// runs the main forms with JavaScript disabled.
const context = (account, javaScriptEnabled = true) => signedInContext(browser, server, account, 'fr', { javaScriptEnabled });

async function submit(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(selector)]);
}

before(async () => {
  server = await startServer({ users: [CITIZEN] });
  browser = await launchBrowser();
  citizen = await context(CITIZEN);
  admin = await context(ADMIN);
  anon = await context(null);
  const page = await anon.newPage();
  await page.goto('/t/besancon/consultations');
  processUrl = await page.locator('main h2 a').first().getAttribute('href');
  await page.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('les pages publiques passent axe-core, en français', async () => {
  const page = await anon.newPage();
  for (const url of ['/consultations', '/t/besancon/consultations', '/t/besancon/donnees', processUrl, `${processUrl}?tri=aleatoire`, `${processUrl}/formulaire-papier`]) {
    await page.goto(url);
    await checkLang(page, 'fr', url);
    assert.equal(await page.locator('h1').count(), 1, `${url} : un seul h1`);
    await checkAxe(page, url);
  }
  await page.goto(processUrl);
  const first = await page.locator('main ol.results h3 a').first().getAttribute('href');
  await page.goto(first);
  await checkAxe(page, 'contribution (visiteur)');
  assert.match(await page.locator('main').innerText(), /Arguments pour/);
  // A visitor reports from a page of its own (the contribution page carries no token of theirs).
  await page.click('p.report a');
  await checkAxe(page, 'signaler (visiteur)');
  await page.selectOption('#champ-reason', 'spam');
  await page.locator('form[action="/signaler"] button[type=submit]').click();
  await page.waitForLoadState();
  assert.match(await page.locator('main').innerText(), /le signalement est transmis aux modérateurs/);
  await page.close();
});

test('contribuer, argumenter, voter, commenter et signaler', { timeout: 120_000 }, async () => {
  const page = await citizen.newPage();
  await page.goto(`${processUrl}/contribuer`);
  await checkAxe(page, 'formulaire de contribution');
  // An empty form: the errors are listed and tied to their fields, and the page passes axe.
  await submit(page, 'main form button[type=submit]');
  assert.match(await page.locator('.error-summary').innerText(), /Donnez un titre à votre contribution/);
  await checkAxe(page, 'formulaire de contribution en erreur');
  await page.fill('#champ-title', 'Des bornes d’accès libre en mairie annexe');
  await page.selectOption('#champ-section', 'Services publics et démarches en ligne');
  await page.fill('#champ-body', 'Un ordinateur en accès libre, avec une personne pour aider, dans chaque mairie annexe.');
  await submit(page, 'main form button[type=submit]');
  assert.match(page.url(), /\/contributions\/\d+/);
  assert.match(await page.locator('main').innerText(), /Votre contribution est publiée/);
  await checkAxe(page, 'contribution (citoyen, formulaires)');

  await page.fill('#champ-argument', 'Beaucoup d’habitants n’ont pas d’ordinateur chez eux.');
  await submit(page, 'form[action$="/arguments"] button[type=submit]');
  assert.match(await page.locator('.arguments-for').innerText(), /Beaucoup d’habitants/);
  assert.match(await page.locator('.arguments-against').innerText(), /Aucun argument contre/);

  await submit(page, 'form[action$="/vote"] button[value="agree"]');
  assert.match(await page.locator('#mon-vote').innerText(), /D'accord/);
  assert.match(await page.locator('#compteurs').innerText(), /^1 d'accord/);
  await submit(page, 'form[action$="/vote"] button[value="mixed"]');
  assert.match(await page.locator('#compteurs').innerText(), /^0 d'accord · 1 mitigés/);

  await page.click('#amendements ~ details summary');
  await page.fill('#champ-amendment_body', 'Un ordinateur en accès libre, avec une personne pour aider, dans chaque mairie annexe.\nOuvert aussi le samedi matin.');
  await submit(page, 'form[action$="/amendements"] button[type=submit]');
  const diff = await page.locator('article.amendment').innerText();
  assert.match(diff, /Ajouté : Ouvert aussi le samedi matin/);
  assert.doesNotMatch(diff, /Supprimé/, 'la ligne inchangée reste telle quelle');
  await checkAxe(page, 'contribution avec un amendement (diff)');
  await submit(page, 'form[action^="/amendements/"] button[value="agree"]');
  assert.match(await page.locator('article.amendment .muted').innerText(), /1 d'accord/);

  await page.fill('#champ-comment', 'Et le week-end ?');
  await submit(page, 'form[action$="/commentaires"] button[type=submit]');
  assert.match(await page.locator('.comments').innerText(), /Et le week-end \?/);

  await page.click('details.report summary');  // the report form is folded away until asked for
  await page.selectOption('#champ-reason', 'hors-sujet');
  await submit(page, 'form[action="/signaler"] button[type=submit]');
  assert.match(await page.locator('main').innerText(), /le signalement est transmis aux modérateurs/);
  await page.close();
});

test('la médiation et la modération, pages et actions, passent axe-core', { timeout: 120_000 }, async () => {
  const page = await admin.newPage();
  await page.goto('/t/besancon/mediation');
  await checkAxe(page, 'médiation');
  await page.fill('#champ-display_name', 'M. Perrin');
  await page.fill('#champ-commune', '25056');
  await page.check('#champ-consent');
  await submit(page, 'main form button[type=submit]');
  assert.match(await page.locator('main').innerText(), /M\. Perrin \(25056\)/);

  // A paper contribution entered for M. Perrin, with his consent and the form's reference.
  await page.goto(`${processUrl}/contribuer`);
  await checkAxe(page, 'formulaire de contribution (médiateur)');
  await page.fill('#champ-title', 'Un bus numérique dans les villages');
  await page.selectOption('#champ-section', 'Services publics et démarches en ligne');
  await page.fill('#champ-body', 'Un bus qui passe une fois par semaine pour les démarches.');
  await page.selectOption('#champ-participant', { label: 'M. Perrin (25056)' });
  await page.check('#champ-paper');
  await page.fill('#champ-paper_ref', 'P1-000042');
  await page.check('#champ-consent');
  await submit(page, 'main form button[type=submit]');
  assert.match(await page.locator('#auteur').innerText(), /M\. Perrin · .* · contribution papier \(référence P1-000042\)/);
  await checkAxe(page, 'contribution (administratrice : réponse, vote pour autrui)');

  // A new consultation, from the form: errors first, then dates around today, published.
  await page.goto('/t/besancon/consultations/nouvelle');
  await checkAxe(page, 'nouvelle consultation');
  await submit(page, 'main form button[type=submit]');
  assert.match(await page.locator('.error-summary').innerText(), /Donnez un titre à la consultation/);
  await checkAxe(page, 'nouvelle consultation en erreur');
  const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
  await page.fill('#champ-title', 'Budget participatif numérique 2027');
  await page.fill('#champ-summary', 'Proposez et choisissez les projets numériques de vos quartiers.');
  await page.fill('#champ-sections', 'Écoles\nMédiathèques');
  await page.fill('#champ-contribution_start', day(-1));
  await page.fill('#champ-contribution_end', day(20));
  await page.fill('#champ-vote_start', day(21));
  await page.fill('#champ-vote_end', day(30));
  await page.check('#champ-publish');
  await submit(page, 'main form button[type=submit]');
  assert.match(page.url(), /\/consultations\/\d+$/);
  const timeline = await page.locator('.timeline').innerText();
  assert.match(timeline, /Contributions — ouverte/);
  assert.match(timeline, /Vote — à venir/);

  // Edited afterwards: its texts, and what a phase allows.
  await page.click('main a[href$="/modifier"]');
  await checkAxe(page, 'modifier une consultation');
  assert.equal(await page.locator('#champ-contribution_start').inputValue(), day(-1));
  assert.ok(await page.locator('#champ-contribution_allows_argue').isChecked(), 'la phase de contribution permet d’argumenter par défaut');
  await page.fill('#champ-title', 'Budget participatif numérique 2027 (modifié)');
  await page.uncheck('#champ-contribution_allows_comment');
  await submit(page, 'main form button[type=submit]');
  assert.match(await page.locator('main').innerText(), /La consultation est modifiée/);
  assert.equal(await page.locator('h1').innerText(), 'Budget participatif numérique 2027 (modifié)');

  // After the answer: the follow-up of the demo's retained contribution (#1), kept by the agent.
  await page.goto('/contributions/1');
  await checkAxe(page, 'contribution retenue (formulaires de suivi)');
  await page.selectOption('#champ-followup_status', 'en-cours');
  await page.fill('#champ-service', 'Direction du numérique');
  await page.fill('#champ-budget', '12 500');
  await page.fill('#champ-progress', '30');
  await submit(page, 'form[action$="/suivi"] button[type=submit]');
  assert.match(await page.locator('#suivi + p').innerText(), /En cours — avancement 30 %/);
  await page.fill('#champ-milestone_title', 'Vote du budget');
  await page.fill('#champ-due', new Date(Date.now() + 40 * 86400000).toISOString().slice(0, 10));
  await submit(page, 'form[action$="/jalons"] button[type=submit]');
  await page.goto(`${processUrl}/suivi`);
  await checkAxe(page, 'suivi des contributions retenues');
  const followText = await page.locator('main').innerText();
  assert.match(followText, /Direction du numérique/);
  assert.match(followText, /12\s500\s€/);
  assert.match(followText, /Vote du budget — prévue le/);

  await page.goto('/t/besancon/moderation');
  await checkAxe(page, 'file de modération');
  const item = page.locator('li.queue-item').first();
  await item.locator('textarea').fill('Hors sujet');
  await Promise.all([page.waitForNavigation(), item.locator('button[value="masquer"]').click()]);
  assert.match(await page.locator('main').innerText(), /La décision de modération est enregistrée/);
  await page.close();
});

test('sans JavaScript : contribuer puis voter avec les formulaires seuls', { timeout: 60_000 }, async () => {
  const ctx = await context(CITIZEN, false);
  const page = await ctx.newPage();
  await page.goto(`${processUrl}/contribuer`);
  assert.equal(await page.locator('script').count(), 0, 'aucun script dans la page');
  await page.fill('#champ-title', 'Un numéro de téléphone unique pour les démarches');
  await page.selectOption('#champ-section', 'Services publics et démarches en ligne');
  await page.fill('#champ-body', 'Une voix au bout du fil, pour ceux qui n’ont pas internet.');
  await submit(page, 'main form button[type=submit]');
  assert.match(page.url(), /\/contributions\/\d+/);
  await submit(page, 'form[action$="/vote"] button[value="agree"]');
  assert.match(await page.locator('#compteurs').innerText(), /^1 d'accord/);
  await ctx.close();
});
