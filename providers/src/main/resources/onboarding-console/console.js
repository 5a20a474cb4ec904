// Onboarding console: signs in through the realm's public "onboarding-console" client
// (authorization code + PKCE) and calls /realms/{realm}/onboarding/*. Tokens stay in memory.
'use strict';

const CLIENT_ID = 'onboarding-console';
const POLL_MS = 3000;
const place = location.pathname.match(/^(.*)\/realms\/([^/]+)\/onboarding\/console\/?$/);
const realm = decodeURIComponent(place[2]);
const realmUrl = `${location.origin}${place[1]}/realms/${encodeURIComponent(realm)}`;
const oidcUrl = `${realmUrl}/protocol/openid-connect`;
const apiUrl = `${realmUrl}/onboarding`;
const adminUrl = `${location.origin}${place[1]}/admin/realms/${encodeURIComponent(realm)}/onboarding`;
const redirectUri = `${location.origin}${location.pathname}`;
const lang = pickLanguage();

let messages = {};
let tokens = null;
let ceremony = null;
let pollTimer = null;

const $ = (id) => document.getElementById(id);

function pickLanguage() {
  const asked = new URLSearchParams(location.search).get('lang') || sessionStorage.getItem('onboarding.lang')
      || navigator.language || 'en';
  const chosen = asked.toLowerCase().startsWith('de') ? 'de' : 'en';
  sessionStorage.setItem('onboarding.lang', chosen);
  return chosen;
}

function t(key, ...args) {
  const text = messages[key] || key;
  return text.replace(/\{(\d)\}/g, (_, i) => (args[i] === undefined || args[i] === null ? '' : String(args[i])));
}

/** A PatternFly button; extra classes (e.g. the ones tests select by) come after. */
function button(attributes, ...children) {
  const classes = ['pf-v5-c-button', attributes.primary ? 'pf-m-primary' : 'pf-m-secondary', attributes.class].filter(Boolean);
  return el('button', Object.assign({ type: 'button' }, attributes, { primary: null, class: classes.join(' ') }), ...children);
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'onclick') node.addEventListener('click', value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) node.append(child);
  return node;
}

function show(id, visible) { $(id).hidden = !visible; }

function status(text, isError = false) {
  $('status').textContent = text || '';
  $('status').className = isError ? 'error' : '';
}

function formatTime(iso) {
  // The same format as the hire's page and the emails: one zone, named, for every reader.
  if (!iso) return '';
  const time = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${time.getUTCFullYear()}-${two(time.getUTCMonth() + 1)}-${two(time.getUTCDate())} `
    + `${two(time.getUTCHours())}:${two(time.getUTCMinutes())} UTC`;
}

// ---- sign-in ----------------------------------------------------------------------------

function randomString(bytes) {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return base64Url(data);
}

function base64Url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function signIn(extra = {}) {
  const verifier = randomString(48);
  const state = randomString(16);
  const challenge = base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem('onboarding.pkce', JSON.stringify({ verifier, state }));
  const params = new URLSearchParams({
    client_id: CLIENT_ID, response_type: 'code', scope: 'openid', redirect_uri: redirectUri, state,
    code_challenge: challenge, code_challenge_method: 'S256', ui_locales: lang, ...extra,
  });
  location.assign(`${oidcUrl}/auth?${params}`);
}

async function finishSignIn(query) {
  const pending = JSON.parse(sessionStorage.getItem('onboarding.pkce') || 'null');
  sessionStorage.removeItem('onboarding.pkce');
  history.replaceState(null, '', redirectUri);
  if (!pending || pending.state !== query.get('state')) throw new Error(t('signInFailed'));
  await tokenRequest({
    grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri,
    client_id: CLIENT_ID, code_verifier: pending.verifier,
  });
}

async function tokenRequest(form) {
  const response = await fetch(`${oidcUrl}/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form),
  });
  if (!response.ok) throw new Error(t('signInFailed'));
  tokens = await response.json();
  const refreshIn = Math.max(10, (tokens.expires_in || 60) - 30) * 1000;
  setTimeout(() => tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: CLIENT_ID })
      .catch(signIn), refreshIn);
}

function signOut() {
  const params = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: redirectUri, id_token_hint: tokens.id_token });
  tokens = null;
  location.assign(`${oidcUrl}/logout?${params}`);
}

// ---- API --------------------------------------------------------------------------------

async function api(method, path, body) {
  return call(`${apiUrl}${path}`, method, body === undefined ? undefined : JSON.stringify(body), 'application/json');
}

/** The onboarding admin API, which Keycloak authorizes by the signed-in user's realm-management roles. */
async function adminApi(method, path, body, contentType = 'application/json') {
  return call(`${adminUrl}${path}`, method, contentType === 'application/json' ? JSON.stringify(body) : body, contentType);
}

async function call(url, method, body, contentType) {
  const response = await fetch(url, {
    method,
    headers: Object.assign({ Authorization: `Bearer ${tokens.access_token}`, Accept: 'application/json' },
        body === undefined ? {} : { 'Content-Type': contentType }),
    body,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    // The server's codes are stable, its messages English: other languages show the code's own text.
    const known = lang !== 'en' && data.error && messages[`error.${data.error}`];
    const error = new Error(known ? t(`error.${data.error}`, data.field || '') : data.message || t('requestFailed', response.status));
    error.code = data.error;
    error.data = data;
    throw error;
  }
  return data;
}

// ---- verifier: waiting cases --------------------------------------------------------------

async function loadCases() {
  const page = await api('GET', '/verifications');
  const body = $('cases').tBodies[0];
  body.replaceChildren();
  for (const item of page.items) body.append(caseRow(item));
  show('cases-empty', page.items.length === 0);
}

function caseRow(item) {
  const name = [item.firstName, item.lastName].filter(Boolean).join(' ') || item.username;
  const actions = el('div', { class: 'row-actions' });
  if (item.youAreSponsor) {
    actions.append(el('span', { class: 'muted' }, t('youAreSponsor')));
  } else if (item.awaitedStep === 'DOCUMENT') {
    actions.append(button({ 'data-case': item.id, class: 'start-document',
      onclick: () => startCeremony(item, 'DOCUMENT', 'VIDEO') }, t('startDocumentVideo')));
    actions.append(button({ onclick: () => startCeremony(item, 'DOCUMENT', 'IN_PERSON') },
        t('startDocumentInPerson')));
  } else if (item.awaitedStep === 'IDENTITY') {
    actions.append(button({ 'data-case': item.id, class: 'start-identity',
      onclick: () => startCeremony(item, 'IDENTITY', 'VIDEO') }, t('startIdentityVideo')));
    actions.append(button({ onclick: () => startCeremony(item, 'IDENTITY', 'IN_PERSON') },
        t('startIdentityInPerson')));
  } else if (item.awaitedStep === 'RECOVERY') {
    actions.append(button({ 'data-case': item.id, class: 'start-recovery',
      onclick: () => startCeremony(item, 'RECOVERY', 'VIDEO') }, t('startRecoveryVideo')));
    actions.append(button({ onclick: () => startCeremony(item, 'RECOVERY', 'IN_PERSON') },
        t('startRecoveryInPerson')));
  }
  actions.append(button({ onclick: () => openHistory(item) }, t('history')));
  return el('tr', { 'data-username': item.username },
      el('td', {}, el('strong', {}, name), el('br'), el('span', { class: 'muted' }, `${item.username} · ${item.email || ''}`)),
      el('td', {}, t(`stage.${item.stage}`)),
      el('td', {}, item.awaitedStep ? t(`step.${item.awaitedStep}`) : ''),
      el('td', {}, formatTime(item.deadline)),
      el('td', {}, item.sponsor || ''),
      el('td', {}, actions));
}

// ---- verifier: ceremony -------------------------------------------------------------------

async function startCeremony(item, step, method) {
  try {
    ceremony = await api('POST', `/verifications/${encodeURIComponent(item.id)}/ceremonies`, { step, method });
    ceremony.hire = [item.firstName, item.lastName].filter(Boolean).join(' ') || item.username;
    openCeremonyPanel();
  } catch (error) {
    status(error.message, true);
  }
}

function openCeremonyPanel() {
  $('result-form').reset();
  $('result').textContent = '';
  show('verifier', false);
  show('history', false);
  show('ceremony', true);
  // A recovery asks for the document's facts (held against the onboarding record) and the person's checks.
  show('document-checklist', ceremony.step !== 'IDENTITY');
  show('identity-checklist', ceremony.step !== 'DOCUMENT');
  for (const box of document.querySelectorAll('#result-form .check input')) {
    box.parentElement.hidden = !ceremony.checklist.includes(box.id);
  }
  show('recovery-record-note', ceremony.step === 'RECOVERY');
  $('ceremony-title').textContent = t('ceremonyTitle', t(`step.${ceremony.step}`), ceremony.hire, t(`method.${ceremony.method}`));
  $('ceremony-instructions').textContent = t('ceremonyInstructions', ceremony.hire);
  setFormEnabled(true);
  renderCeremonyState();
  $('ceremony-title').focus();
  clearInterval(pollTimer);
  pollTimer = setInterval(refreshCeremony, POLL_MS);
}

async function refreshCeremony() {
  if (!ceremony) return;
  try {
    const latest = await api('GET', `/verifications/ceremonies/${encodeURIComponent(ceremony.id)}`);
    ceremony = Object.assign(ceremony, latest);
    renderCeremonyState();
  } catch (error) {
    $('ceremony-state').textContent = error.message;
  }
}

function renderCeremonyState() {
  let text;
  if (ceremony.status !== 'OPEN') text = t(`ceremonyStatus.${ceremony.status}`);
  else if (!ceremony.codeShown) text = ceremony.passkeyRequired ? t('waitingForPasskeyAndCode') : t('waitingForCode');
  else if (!ceremony.codeValid) text = t('codeExpiredAskNew');
  else text = t('codeShown', formatTime(ceremony.codeExpiresAt), ceremony.attemptsLeft);
  const attestation = ceremony.sponsorAttestation;
  if (ceremony.status === 'OPEN' && attestation && attestation.required) {
    text += ` ${t(attestation.attestedAt ? 'sponsorHasConfirmed' : 'sponsorNotYetConfirmed')}`;
  }
  $('ceremony-state').textContent = text;
  if (ceremony.status !== 'OPEN') {
    clearInterval(pollTimer);
    setFormEnabled(false);
  }
}

function setFormEnabled(enabled) {
  for (const id of ['approve', 'reject', 'cancel-ceremony']) $(id).disabled = !enabled;
}

function checklist() {
  const items = {};
  const boxes = ceremony.checklist;
  for (const id of boxes) items[id] = $(id).checked;
  if (ceremony.step !== 'IDENTITY') {
    for (const id of ['givenName', 'familyName', 'documentType', 'issuingCountry', 'expiryDate', 'numberLastChars']) {
      const value = $(id).value.trim();
      if (value) items[id] = id === 'issuingCountry' ? value.toUpperCase() : value;
    }
  }
  const notes = $('notes').value.trim();
  if (notes) items.notes = notes;
  return items;
}

async function submitResult(event) {
  event.preventDefault();
  const outcome = event.submitter ? event.submitter.value : 'APPROVE';
  const body = {
    code: $('code').value.trim(), outcome, checklist: checklist(), evidenceRef: $('evidenceRef').value.trim(),
  };
  const reason = $('reason').value.trim();
  if (reason) body.reason = reason;
  $('result').className = '';
  try {
    const result = await api('POST', `/verifications/ceremonies/${encodeURIComponent(ceremony.id)}/result`, body);
    $('result').className = 'ok';
    $('result').textContent = t(outcome === 'APPROVE' ? 'approved' : 'rejected', t(`stage.${result.case.stage}`));
    ceremony.status = 'COMPLETED';
    renderCeremonyState();
  } catch (error) {
    $('result').className = 'error';
    $('result').textContent = error.code === 'wrong_code' ? t('wrongCode', error.data.attemptsLeft) : error.message;
    if (error.code === 'insufficient_user_authentication') {
      // The ceremony stays open on the server: after signing in again, open it from the list and submit.
      const again = document.createElement('button');
      again.type = 'button';
      again.id = 'sign-in-again';
      again.textContent = t('signInAgain');
      again.addEventListener('click', () => signIn({ prompt: 'login' }));
      $('result').append(' ', again);
      return;
    }
    refreshCeremony();
  }
}

async function cancelCeremony() {
  try {
    ceremony = Object.assign(ceremony, await api('POST', `/verifications/ceremonies/${encodeURIComponent(ceremony.id)}/cancel`));
    renderCeremonyState();
  } catch (error) {
    $('result').className = 'error';
    $('result').textContent = error.message;
  }
}

async function backToList() {
  clearInterval(pollTimer);
  ceremony = null;
  show('ceremony', false);
  show('history', false);
  show('verifier', true);
  await loadCases().catch((error) => status(error.message, true));
  $('verifier-title').focus();
}

// ---- verifier: history --------------------------------------------------------------------

async function openHistory(item) {
  try {
    const history = await api('GET', `/verifications/${encodeURIComponent(item.id)}/history`);
    $('history-title').textContent = t('historyTitle', item.username);
    const list = $('history-items');
    list.replaceChildren();
    for (const record of history.verifications) {
      list.append(el('li', {}, `${formatTime(record.at)} · ${t(`step.${record.step}`)} · ${t(`method.${record.method}`)} · `
          + `${t(`outcome.${record.outcome}`)} · ${record.verifier} · ${record.evidenceRef}${record.reason ? ` · ${record.reason}` : ''}`));
    }
    for (const signal of history.signals) {
      list.append(el('li', { class: 'signal' }, `${formatTime(signal.at)} · ${t('signal')}: ${signal.rule} (${signal.action})`));
    }
    if (!list.children.length) list.append(el('li', {}, t('noHistory')));
    show('verifier', false);
    show('history', true);
    $('history-title').focus();
  } catch (error) {
    status(error.message, true);
  }
}

// ---- auditor --------------------------------------------------------------------------

let auditCursor = null;

function auditQuery() {
  const params = new URLSearchParams();
  const subject = $('audit-subject').value.trim();
  const type = $('audit-type').value.trim();
  if (subject) params.set('subject', subject);
  if (type) params.set('type', type);
  if ($('audit-from').value) params.set('from', `${$('audit-from').value}T00:00:00Z`);
  if ($('audit-to').value) params.set('to', `${$('audit-to').value}T00:00:00Z`);
  return params;
}

async function searchAudit(event, more = false) {
  if (event) event.preventDefault();
  const params = auditQuery();
  params.set('limit', '100');
  if (more && auditCursor) params.set('after', auditCursor);
  try {
    const page = await api('GET', `/audit/entries?${params}`);
    const body = $('audit-entries').tBodies[0];
    if (!more) body.replaceChildren();
    for (const entry of page.items) {
      body.append(el('tr', { 'data-seq': entry.seq, 'data-type': entry.type },
          el('td', {}, String(entry.seq)), el('td', {}, formatTime(entry.at)), el('td', {}, entry.type),
          el('td', {}, entry.actorName || entry.actor), el('td', {}, el('code', {}, JSON.stringify(entry.details)))));
    }
    auditCursor = page.next;
    show('audit-more', Boolean(page.next));
  } catch (error) {
    status(error.message, true);
  }
}

async function verifyChain() {
  $('chain-status').textContent = t('verifying');
  try {
    const result = await api('GET', '/audit/verify');
    $('chain-status').className = result.valid ? 'ok' : 'error';
    $('chain-status').textContent = result.valid
      ? t('chainValid', result.checked, result.firstSeq ?? '-', result.lastSeq ?? '-')
      : t('chainBroken', result.firstBreak.seq, result.firstBreak.problem, result.firstBreak.expected, result.firstBreak.found);
  } catch (error) {
    $('chain-status').className = 'error';
    $('chain-status').textContent = error.message;
  }
}

async function exportAudit(format) {
  const params = auditQuery();
  params.set('format', format);
  try {
    const response = await fetch(`${apiUrl}/audit/export?${params}`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    if (!response.ok) throw new Error(t('requestFailed', response.status));
    const link = el('a', { href: URL.createObjectURL(await response.blob()), download: `onboarding-audit-${realm}.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
  } catch (error) {
    status(error.message, true);
  }
}

/** A table of rows for the dossier; an empty list says so instead. */
function dossierTable(id, headers, rows) {
  if (!rows.length) return el('p', { id, class: 'muted' }, t('dossierNone'));
  return el('table', { id, class: 'pf-v5-c-table pf-m-compact' },
    el('thead', {}, el('tr', {}, ...headers.map((header) => el('th', { scope: 'col' }, t(header))))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((cell) => el('td', {}, cell ?? ''))))));
}

function renderDossier(dossier) {
  const person = dossier.user;
  const onboarding = dossier.case;
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ') || person.username;
  const section = (titleKey, content) => [el('h4', {}, t(titleKey)), content];
  $('dossier-view').replaceChildren(
    el('dl', { class: 'facts' },
      el('dt', {}, t('colHire')), el('dd', {}, `${name} · ${person.username} · ${person.email || ''}`),
      el('dt', {}, t('colStage')), el('dd', {}, t(`stage.${onboarding.stage}`)),
      el('dt', {}, t('colDeadline')), el('dd', {}, formatTime(onboarding.deadline)),
      el('dt', {}, t('colSponsor')), el('dd', {}, onboarding.sponsor ? onboarding.sponsor.username || onboarding.sponsor.id : '')),
    ...section('dossierStages', dossierTable('dossier-stages', ['colTime', 'dossierChange', 'colActor', 'dossierReason'],
      onboarding.history.map((row) => [formatTime(row.at), `${row.from ? t(`stage.${row.from}`) : '–'} → ${t(`stage.${row.to}`)}`,
        row.actorName || row.actor, row.reason]))),
    ...section('dossierVerifications', dossierTable('dossier-verifications', ['colTime', 'dossierStep', 'dossierOutcome', 'dossierVerifier'],
      dossier.verifications.map((row) => [formatTime(row.at), `${t(`step.${row.step}`)} (${t(`method.${row.method}`)})`,
        t(`outcome.${row.outcome}`), row.verifier]))),
    ...section('dossierSignals', dossierTable('dossier-signals', ['colTime', 'dossierRule', 'dossierAction'],
      dossier.signals.map((row) => [formatTime(row.at), row.rule, row.action]))),
    ...section('dossierLogins', dossierTable('dossier-logins', ['colTime', 'colType', 'dossierClient', 'dossierAddress', 'dossierError'],
      dossier.loginEvents.map((row) => [formatTime(row.time), row.type, row.clientId, row.ipAddress, row.error]))));
  $('dossier-json').textContent = JSON.stringify(dossier, null, 2);
}

async function openDossier() {
  const subject = $('audit-subject').value.trim();
  if (!subject) {
    status(t('dossierNeedsHire'), true);
    $('audit-subject').focus();
    return;
  }
  try {
    const dossier = await api('GET', `/audit/dossier/${encodeURIComponent(subject)}`);
    $('dossier-title').textContent = t('dossierTitle', dossier.user.username);
    renderDossier(dossier);
    show('dossier', true);
    $('dossier-title').focus();
  } catch (error) {
    status(error.message, true);
  }
}

// ---- sponsor: confirm the person -----------------------------------------------------------

async function loadSponsorCeremonies() {
  const page = await api('GET', '/sponsor/ceremonies');
  const body = $('sponsor-ceremonies').tBodies[0];
  body.replaceChildren(...page.items.map((item) => {
    const action = item.sponsorAttestation && item.sponsorAttestation.attestedAt
      ? el('span', {}, t('sponsorConfirmed', formatTime(item.sponsorAttestation.attestedAt)))
      : button({ primary: true, class: 'attest', onclick: () => attest(item) }, t('sponsorConfirm'));
    return el('tr', { 'data-username': item.username },
        el('td', {}, el('strong', {}, item.name || item.username)),
        el('td', {}, `${item.verifier} · ${t(`method.${item.method}`)}`),
        el('td', {}, action));
  }));
  show('sponsor-empty', page.items.length === 0);
}

async function attest(item) {
  try {
    await api('POST', `/sponsor/ceremonies/${encodeURIComponent(item.id)}/attest`);
    $('sponsor-status').textContent = t('sponsorConfirmedFor', item.name || item.username);
    await loadSponsorCeremonies();
  } catch (error) {
    $('sponsor-status').textContent = error.message;
  }
}

// ---- helpdesk: check a caller -------------------------------------------------------------

let helpdeskCheck = null;
let helpdeskTimer = null;

function helpdeskResult(text, isError) {
  $('helpdesk-result').textContent = text;
  $('helpdesk-result').classList.toggle('error', Boolean(isError));
}

async function startHelpdeskCheck(event) {
  event.preventDefault();
  helpdeskResult('');
  try {
    helpdeskCheck = await api('POST', '/helpdesk/checks', { user: $('helpdesk-user').value.trim() });
    $('helpdesk-answer-form').reset();
    show('helpdesk-check', true);
    renderHelpdeskCheck();
    clearInterval(helpdeskTimer);
    helpdeskTimer = setInterval(refreshHelpdeskCheck, POLL_MS);
  } catch (error) {
    show('helpdesk-check', true);
    $('helpdesk-state').textContent = '';
    show('helpdesk-answer-form', false);
    show('helpdesk-reset-form', false);
    helpdeskResult(error.message, true);
  }
}

async function refreshHelpdeskCheck() {
  if (!helpdeskCheck) return;
  try {
    helpdeskCheck = await api('GET', `/helpdesk/checks/${encodeURIComponent(helpdeskCheck.id)}`);
    renderHelpdeskCheck();
  } catch (error) {
    helpdeskResult(error.message, true);
  }
}

function renderHelpdeskCheck() {
  const check = helpdeskCheck;
  let text;
  if (check.passed) text = t('helpdeskPassed', check.name, check.resetAllowedMinutes);
  else if (check.status !== 'OPEN') text = t(`ceremonyStatus.${check.status}`);
  else if (!check.codeShown) text = t('helpdeskWaiting', check.name);
  else if (!check.codeValid) text = t('codeExpiredAskNew');
  else text = t('helpdeskCodeShown', check.name, check.attemptsLeft);
  $('helpdesk-state').textContent = text;
  $('helpdesk-check').dataset.status = check.passed ? 'PASSED' : check.status;
  show('helpdesk-answer-form', check.status === 'OPEN');
  show('helpdesk-reset-form', Boolean(check.passed));
  if (check.status !== 'OPEN') clearInterval(helpdeskTimer);
}

async function answerHelpdeskCheck(event) {
  event.preventDefault();
  helpdeskResult('');
  try {
    helpdeskCheck = await api('POST', `/helpdesk/checks/${encodeURIComponent(helpdeskCheck.id)}/answer`,
        { code: $('helpdesk-code').value.replace(/\s/g, '') });
    renderHelpdeskCheck();
  } catch (error) {
    helpdeskResult(error.message, true);
    await refreshHelpdeskCheck();
  }
}

async function cancelHelpdeskCheck() {
  try {
    helpdeskCheck = await api('POST', `/helpdesk/checks/${encodeURIComponent(helpdeskCheck.id)}/cancel`);
    renderHelpdeskCheck();
  } catch (error) {
    helpdeskResult(error.message, true);
  }
}

/** Keycloak's own admin API: the helpdesk member's manage-users decides, the passed check lets it stand. */
async function resetAfterCheck(event) {
  event.preventDefault();
  try {
    await call(`${adminUrl.replace(/\/onboarding$/, '')}/users/${encodeURIComponent(helpdeskCheck.userId)}/reset-password`,
        'PUT', JSON.stringify({ type: 'password', value: $('helpdesk-password').value, temporary: true }),
        'application/json');
    $('helpdesk-reset-form').reset();
    helpdeskResult(t('helpdeskResetDone', helpdeskCheck.name));
  } catch (error) {
    helpdeskResult(error.message, true);
  }
}

// ---- admin: start hires -------------------------------------------------------------------

async function adopt(event) {
  event.preventDefault();
  const body = { user: $('adopt-user').value.trim(), sponsor: $('adopt-sponsor').value.trim(), stage: $('adopt-stage').value };
  $('adopt-status').classList.remove('error');
  try {
    const adopted = await adminApi('POST', '/cases/adopt', body);
    $('adopt-status').textContent = t('adopted', adopted.user.username, t(`stage.${adopted.stage}`));
    $('adopt-form').reset();
  } catch (error) {
    $('adopt-status').textContent = error.message;
    $('adopt-status').classList.add('error');
  }
}

async function startFromFile(event) {
  event.preventDefault();
  const file = $('bulk-file').files[0];
  if (!file) return;
  $('bulk-summary').classList.remove('error');
  try {
    const reply = await adminApi('POST', '/cases/bulk', await file.text(), 'text/csv');
    const summary = reply.summary;
    $('bulk-summary').textContent = t('bulkSummary', summary.created, summary.adopted, summary.unchanged, summary.refused);
    const body = $('bulk-rows').tBodies[0];
    body.replaceChildren(...reply.rows.map((row) => {
      const tr = el('tr', { 'data-result': row.result, 'data-username': row.username || '' },
          el('td', {}, String(row.line)), el('td', {}, row.username || ''), el('td', {}, t(`result.${row.result}`)),
          el('td', {}, row.result === 'refused' ? rowMessage(row) : ''));
      return tr;
    }));
    show('bulk-rows', true);
  } catch (error) {
    $('bulk-summary').textContent = error.message;
    $('bulk-summary').classList.add('error');
    show('bulk-rows', false);
  }
}

/** A refused row: the code's own text where this language has one, else the server's message. */
function rowMessage(row) {
  const known = lang !== 'en' && messages[`error.${row.error}`];
  const text = known ? t(`error.${row.error}`) : row.message;
  return row.field ? `${row.field}: ${text}` : text;
}

// ---- start --------------------------------------------------------------------------------

async function start() {
  messages = await (await fetch(`messages-${lang}.json`)).json();
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);

  const query = new URLSearchParams(location.search);
  try {
    if (query.has('code')) await finishSignIn(query);
    else if (query.has('error')) throw new Error(t('signInFailed'));
  } catch (error) {
    status(error.message, true);
    return;
  }
  if (!tokens) {
    await signIn();
    return;
  }
  $('sign-out').addEventListener('click', signOut);
  $('reload-cases').addEventListener('click', () => loadCases().catch((error) => status(error.message, true)));
  $('result-form').addEventListener('submit', submitResult);
  $('cancel-ceremony').addEventListener('click', cancelCeremony);
  $('close-ceremony').addEventListener('click', backToList);
  $('close-history').addEventListener('click', backToList);

  $('audit-filter').addEventListener('submit', searchAudit);
  $('audit-more').addEventListener('click', () => searchAudit(null, true));
  $('verify-chain').addEventListener('click', verifyChain);
  $('export-jsonl').addEventListener('click', () => exportAudit('jsonl'));
  $('export-csv').addEventListener('click', () => exportAudit('csv'));
  $('audit-dossier').addEventListener('click', openDossier);
  $('adopt-form').addEventListener('submit', adopt);
  $('bulk-form').addEventListener('submit', startFromFile);
  $('reload-sponsor').addEventListener('click', () => loadSponsorCeremonies().catch((error) => status(error.message, true)));
  $('helpdesk-form').addEventListener('submit', startHelpdeskCheck);
  $('helpdesk-answer-form').addEventListener('submit', answerHelpdeskCheck);
  $('helpdesk-cancel').addEventListener('click', cancelHelpdeskCheck);
  $('helpdesk-reset-form').addEventListener('submit', resetAfterCheck);

  const me = await api('GET', '/me');
  $('who').textContent = t('signedInAs', me.name);
  show('sign-out', true);
  if (me.verifier) {
    show('verifier', true);
    await loadCases();
  }
  if (me.helpdesk) show('helpdesk', true);
  if (me.sponsor) {
    show('sponsor', true);
    await loadSponsorCeremonies();
  }
  if (me.startsHires) show('starter', true);
  if (me.auditor) {
    show('auditor', true);
    await searchAudit();
  }
  show('no-duties', !me.verifier && !me.auditor && !me.startsHires && !me.helpdesk && !me.sponsor);
}

start().catch((error) => status(error.message, true));
