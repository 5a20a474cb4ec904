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
  const applied = item.applicant
    ? el('span', { class: 'muted applicant' }, t('appliedAs', [item.applicant.name, item.applicant.email,
      item.applicant.phone].filter(Boolean).join(' · ')))
    : '';
  const mismatch = item.candidateMismatches && item.candidateMismatches.length
    ? el('span', { class: 'error candidate-mismatch', role: 'alert' }, t('candidateMismatch', item.candidateMismatches
      .map((signal) => signal.evidence && signal.evidence.field).filter(Boolean).join(', ')))
    : '';
  return el('tr', { 'data-username': item.username },
      el('td', {}, el('strong', {}, name), el('br'), el('span', { class: 'muted' }, `${item.username} · ${item.email || ''}`),
        applied ? el('br') : '', applied, mismatch ? el('br') : '', mismatch),
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
    for (const result of history.vendorResults || []) {
      const checked = result.result || {};
      list.append(el('li', { class: 'vendor-result' }, `${formatTime(result.receivedAt)} · ${t('vendorResult', result.vendor)}: `
          + `${result.status} · ${[checked.givenName, checked.familyName].filter(Boolean).join(' ')} · `
          + `${checked.documentType || ''} ${checked.issuingCountry || ''} · ${t('vendorChecks', checked.liveness, checked.faceMatch)}`
          + (result.stoodInFor.length ? ` · ${t('vendorStoodIn', result.stoodInFor.map((step) => t(`step.${step}`)).join(', '))}` : '')));
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

// ---- pipeline at a glance ------------------------------------------------------------------

const CHART_COLOURS = ['#0066cc', '#f0ab00', '#3e8635', '#c9190b', '#8476d1', '#009596', '#ec7a08', '#6a6e73'];
const charts = {};

async function loadPipeline() {
  const summary = await api('GET', '/pipeline');
  const stages = Object.keys(summary.stages);
  const weeks = summary.timeToVerified.map((row) => row.week);
  const days = summary.deadlines.days.map((day) => day.date);
  const rules = summary.signals.rules;
  drawChart('chart-stages', stages.map((stage) => t(`stage.${stage}`)),
      [{ label: t('chartCases'), values: stages.map((stage) => summary.stages[stage]) }], true, -35);
  drawChart('chart-verified', weeks, [
    { label: t('chartMedian'), values: summary.timeToVerified.map((row) => row.medianHours) },
    { label: t('chartP90'), values: summary.timeToVerified.map((row) => row.p90Hours) }], false);
  drawChart('chart-deadlines', days, [{ label: t('chartDue'), values: summary.deadlines.days.map((day) => day.count) }], true);
  drawChart('chart-signals', summary.signals.weeks.map((row) => row.week),
      rules.map((rule) => ({ label: rule, values: summary.signals.weeks.map((row) => row.counts[rule] || 0) })), false);

  $('pipeline-tables').replaceChildren(
    numbersTable('numbers-stages', t('chartStages'), [t('colStage'), t('chartCases')],
        stages.map((stage) => [t(`stage.${stage}`), summary.stages[stage]])),
    numbersTable('numbers-verified', t('chartVerified'), [t('chartWeek'), t('chartVerifiedCount'), t('chartMedian'), t('chartP90')],
        summary.timeToVerified.map((row) => [row.week, row.verified, row.medianHours ?? '–', row.p90Hours ?? '–'])),
    numbersTable('numbers-deadlines', t('chartDeadlines'), [t('chartDay'), t('chartDue')],
        [[t('chartOverdue'), summary.deadlines.overdue], ...summary.deadlines.days.map((day) => [day.date, day.count])]),
    numbersTable('numbers-signals', t('chartSignals'), [t('chartWeek'), ...rules],
        summary.signals.weeks.map((row) => [row.week, ...rules.map((rule) => row.counts[rule] || 0)])));
}

/** One chart: categories along x (bars or lines), and a text alternative naming every number. */
function drawChart(id, labels, series, bars, rotate = 0) {
  const box = $(id).querySelector('.plot');
  if (charts[id]) charts[id].destroy();
  box.setAttribute('aria-label', `${$(id).querySelector('figcaption').textContent}: `
      + series.map((line) => `${line.label} ${labels.map((label, i) => `${label} ${line.values[i] ?? '–'}`).join(', ')}`).join('; '));
  const xs = labels.map((_, i) => i);
  const options = {
    width: Math.max(280, box.clientWidth || 480),
    height: 220,
    scales: { x: { time: false, range: () => [-0.5, labels.length - 0.5] }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    axes: [
      { splits: () => xs, values: (u, splits) => splits.map((i) => shortLabel(labels[i])), rotate, size: rotate ? 80 : 40 },
      { size: 44 },
    ],
    // Without a cursor the legend names the series only; the tables below carry the values.
    legend: { show: series.length > 0, live: false },
    cursor: { show: false },
    series: [{}, ...series.map((line, i) => ({
      label: line.label,
      stroke: CHART_COLOURS[i % CHART_COLOURS.length],
      fill: bars ? CHART_COLOURS[i % CHART_COLOURS.length] : undefined,
      width: 2,
      points: { show: !bars },
      spanGaps: false,
      paths: bars ? uPlot.paths.bars({ size: [0.6, 60] }) : undefined,
    }))],
  };
  charts[id] = new uPlot(options, [xs, ...series.map((line) => line.values)], box);
}

/** Dates as "12-07", other labels cut to fit under a bar. */
function shortLabel(label) {
  if (label === undefined) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(label)) return label.slice(5);
  return label.length > 18 ? `${label.slice(0, 17)}…` : label;
}

function numbersTable(id, caption, headers, rows) {
  return el('table', { id, class: 'pf-v5-c-table pf-m-compact' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...headers.map((header) => el('th', { scope: 'col' }, header)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((cell, i) => el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, String(cell)))))));
}

// ---- admin: cases -------------------------------------------------------------------------

let managesCases = false;
let managesRealm = false;
let caseFirst = 0;
let currentCase = null;

function caseParams() {
  const params = new URLSearchParams();
  const fields = { search: 'case-search', stage: 'case-stage', sponsor: 'case-sponsor', path: 'case-path' };
  for (const [name, id] of Object.entries(fields)) {
    const value = $(id).value.trim();
    if (value) params.set(name, value);
  }
  if ($('case-deadline').value) params.set('deadlineBefore', `${$('case-deadline').value}T00:00:00Z`);
  return params;
}

async function searchCases(event, more = false) {
  if (event) event.preventDefault();
  if (!more) caseFirst = 0;
  const params = caseParams();
  params.set('first', String(caseFirst));
  params.set('max', '50');
  try {
    const page = await adminApi('GET', `/cases?${params}`);
    const body = $('admin-cases').tBodies[0];
    if (!more) body.replaceChildren();
    for (const item of page.items) body.append(adminCaseRow(item));
    caseFirst += page.items.length;
    $('case-count').textContent = t('caseCount', page.total);
    $('admin-cases').dataset.loads = String(Number($('admin-cases').dataset.loads || 0) + 1);
    show('cases-more', caseFirst < page.total);
  } catch (error) {
    status(error.message, true);
  }
}

function adminCaseRow(item) {
  const username = item.user.username || item.user.id;
  return el('tr', { 'data-username': username, 'data-stage': item.stage },
      el('td', {}, el('strong', {}, username)),
      el('td', {}, t(`stage.${item.stage}`) + (item.overdue ? ` · ${t('overdue')}` : '')),
      el('td', {}, item.path ? t(`path.${item.path}`) : '–'),
      el('td', {}, item.stage === 'INVITED' || item.stage === 'PROBATION' || item.stage === 'DOCUMENT_VERIFIED' ? formatTime(item.deadline) : ''),
      el('td', {}, item.sponsor ? item.sponsor.username || item.sponsor.id : ''),
      el('td', {}, button({ class: 'open-case', onclick: () => openCase(item.id) }, t('openCase'))));
}

async function openCase(id) {
  try {
    currentCase = await adminApi('GET', `/cases/${encodeURIComponent(id)}`);
    // The case opens even when its related hires cannot be read: suspending must not wait for them.
    currentCase.related = await adminApi('GET', `/cases/${encodeURIComponent(id)}/related`)
      .then((answer) => answer.items, () => []);
    renderCase();
    show('create-form', false);
    show('case-detail', true);
    $('case-status').textContent = '';
    $('case-title').focus();
  } catch (error) {
    status(error.message, true);
  }
}

function renderCase() {
  const c = currentCase;
  const username = c.user.username || c.user.id;
  $('case-title').textContent = t('caseTitle', username);
  $('case-detail').dataset.stage = c.stage;
  const grants = c.deferredGrants.items;
  $('case-view').replaceChildren(
    el('dl', { class: 'facts' },
      el('dt', {}, t('colStage')), el('dd', { id: 'case-stage-now' }, t(`stage.${c.stage}`)
          + (c.suspendedFrom ? ` (${t('suspendedFrom', t(`stage.${c.suspendedFrom}`))})` : '')),
      el('dt', {}, t('casePath')), el('dd', {}, c.path ? t(`path.${c.path}`) : '–'),
      el('dt', {}, t('colSponsor')), el('dd', {}, c.sponsor ? c.sponsor.username || c.sponsor.id : '–'),
      el('dt', {}, t('caseCreated')), el('dd', {}, formatTime(c.createdAt)),
      el('dt', {}, t('colDeadline')), el('dd', { id: 'case-deadline-now' }, formatTime(c.deadline)),
      el('dt', {}, t('caseVerifiedAt')), el('dd', {}, c.verifiedAt ? formatTime(c.verifiedAt) : '–'),
      el('dt', {}, t('caseApplicant')), el('dd', { id: 'case-applicant' }, c.applicant
        ? [c.applicant.name, c.applicant.email, c.applicant.phone, c.applicant.reference].filter(Boolean).join(' · ') : '–'),
      el('dt', {}, t('caseShipping')), el('dd', { id: 'case-shipping' }, c.shippingAddress
        ? [c.shippingAddress.line1, c.shippingAddress.line2, c.shippingAddress.postalCode, c.shippingAddress.city,
          c.shippingAddress.country].filter(Boolean).join(', ') : '–')),
    el('h4', {}, t('caseGrants')),
    dossierTable('case-grants', ['caseGrant', 'caseGrantKind', 'caseGrantState', 'colActions'], grants.map((grant) => [
      grant.grant, t(`grantKind.${grant.kind}`),
      grant.appliedAt ? t('grantApplied', formatTime(grant.appliedAt)) : t(grant.held ? 'grantHeld' : 'grantWaiting'),
      managesCases && !grant.appliedAt
        ? button({ class: 'release-grant', 'data-grant': grant.grant, onclick: () => releaseGrant(grant) }, t('releaseGrant'))
        : ''])),
    el('h4', {}, t('dossierStages')),
    dossierTable('case-history', ['colTime', 'dossierChange', 'colActor', 'dossierReason'], c.history.map((row) => [
      formatTime(row.at), `${row.from ? t(`stage.${row.from}`) : '–'} → ${t(`stage.${row.to}`)}`, row.actorName || row.actor, row.reason])),
    el('h4', {}, t('dossierVerifications')),
    dossierTable('case-verifications', ['colTime', 'dossierStep', 'dossierOutcome', 'dossierVerifier'], c.verifications.map((row) => [
      formatTime(row.at), `${t(`step.${row.step}`)} (${t(`method.${row.method}`)})`, t(`outcome.${row.outcome}`), row.verifier])),
    el('h4', {}, t('caseCeremonies')),
    dossierTable('case-ceremonies', ['colTime', 'dossierStep', 'alertStatus', 'dossierVerifier'], c.ceremonies.map((row) => [
      formatTime(row.openedAt), `${t(`step.${row.step}`)} (${t(`method.${row.method}`)})`, t(`ceremonyStatus.${row.status}`), row.verifier])),
    el('h4', {}, t('dossierSignals')),
    dossierTable('case-signals', ['colTime', 'dossierRule', 'dossierAction'], c.signals.map((row) => [formatTime(row.at), row.rule, row.action])),
    el('h4', {}, t('caseRelated')),
    dossierTable('case-related', ['colUsername', 'colStage', 'relatedBy'], c.related.map((row) => [
      row.user.username || row.user.id, t(`stage.${row.stage}`),
      row.links.map((link) => `${t(`relatedLink.${link.kind}`)}: ${link.value}`).join('; ')])),
    managesCases && strongLinks(c.related).length
      ? button({ id: 'reverify-related', onclick: reverifyRelated }, t('reverifyRelated'))
      : '');
  show('case-actions', managesCases);
}

function caseResult(text, isError) {
  $('case-status').textContent = text;
  $('case-status').className = isError ? 'error' : 'ok';
}

/** A required reason, or the field is pointed out and nothing is sent. */
function reasonOrAsk() {
  const reason = $('stage-reason').value.trim();
  if (!reason) {
    caseResult(t('reasonRequired'), true);
    $('stage-reason').focus();
  }
  return reason;
}

async function changeStage(event) {
  event.preventDefault();
  const action = event.submitter ? event.submitter.value : 'suspend';
  const reason = reasonOrAsk();
  if (!reason) return;
  try {
    currentCase = Object.assign(currentCase, await adminApi('POST', `/cases/${encodeURIComponent(currentCase.id)}/${action}`, { reason }));
    await openCase(currentCase.id);
    $('stage-form').reset();
    caseResult(t('stageChanged', t(`stage.${currentCase.stage}`)));
    await searchCases();
  } catch (error) {
    caseResult(error.message, true);
  }
}

async function changeDeadline(event) {
  event.preventDefault();
  try {
    await adminApi('PATCH', `/cases/${encodeURIComponent(currentCase.id)}`, { deadline: `${$('new-deadline').value}T23:59:00Z` });
    await openCase(currentCase.id);
    caseResult(t('deadlineChanged', formatTime(currentCase.deadline)));
  } catch (error) {
    caseResult(error.message, true);
  }
}

async function releaseGrant(grant) {
  const reason = reasonOrAsk();
  if (!reason) return;
  try {
    await adminApi('POST', `/cases/${encodeURIComponent(currentCase.id)}/grants/${encodeURIComponent(grant.id)}/release`, { reason });
    await openCase(currentCase.id);
    caseResult(t('grantReleased', grant.grant));
  } catch (error) {
    caseResult(error.message, true);
  }
}

/** Verified related hires that share a network or the shipping address (a shared sponsor alone is no reason). */
function strongLinks(related) {
  return related.filter((row) => row.stage === 'VERIFIED'
    && row.links.some((link) => link.kind === 'network' || link.kind === 'shippingAddress'));
}

/** Those hires back to verification, with the reason typed for the case's actions, after a confirmation. */
async function reverifyRelated() {
  const reason = reasonOrAsk();
  if (!reason) return;
  const cases = strongLinks(currentCase.related).map((row) => row.id);
  if (!window.confirm(t('reverifyRelatedConfirm', cases.length))) return;
  try {
    const answer = await adminApi('POST', '/cases/bulk-reverify', { cases, reason });
    const done = answer.results.filter((result) => result.outcome === 'reverified').length;
    await openCase(currentCase.id);
    caseResult(t('relatedReverified', done));
  } catch (error) {
    caseResult(error.message, true);
  }
}

function closeCase() {
  currentCase = null;
  show('case-detail', false);
  $('cases-admin-title').focus();
}

function openCreateForm() {
  show('case-detail', false);
  $('create-form').reset();
  $('create-status').textContent = '';
  show('create-form', true);
  $('create-title').focus();
}

function commaList(id) {
  return $(id).value.split(',').map((item) => item.trim()).filter(Boolean);
}

/** The non-empty inputs of a group as an object, or null when all are empty. */
function filledFields(ids) {
  const values = {};
  for (const [field, id] of Object.entries(ids)) {
    const value = $(id).value.trim();
    if (value) values[field] = value;
  }
  return Object.keys(values).length ? values : null;
}

async function createHire(event) {
  event.preventDefault();
  const body = { username: $('create-username').value.trim(), sponsor: $('create-sponsor').value.trim(),
    invitation: { send: $('create-invite').checked } };
  Object.assign(body, filledFields({ email: 'create-email', firstName: 'create-first', lastName: 'create-last' }));
  if ($('create-deadline').value) body.deadline = `${$('create-deadline').value}T23:59:00Z`;
  const realmRoles = commaList('create-roles');
  const groups = commaList('create-groups');
  if (realmRoles.length || groups.length) body.grants = { realmRoles, groups };
  const applicant = filledFields({ name: 'create-applicant-name', email: 'create-applicant-email',
    phone: 'create-applicant-phone', reference: 'create-applicant-reference' });
  if (applicant) body.applicant = applicant;
  const shippingAddress = filledFields({ line1: 'create-ship-line1', line2: 'create-ship-line2',
    postalCode: 'create-ship-postal', city: 'create-ship-city', country: 'create-ship-country' });
  if (shippingAddress) body.shippingAddress = shippingAddress;
  $('create-status').className = '';
  try {
    const created = await adminApi('POST', '/cases', body);
    show('create-form', false);
    await searchCases();
    await openCase(created.id);
    caseResult(t('hireCreated', created.user.username));
  } catch (error) {
    $('create-status').className = 'error';
    $('create-status').textContent = error.data && error.data.field ? `${error.data.field}: ${error.message}` : error.message;
  }
}

// ---- admin: alerts and health --------------------------------------------------------------

async function loadAlerts() {
  const page = await adminApi('GET', '/alerts?max=50');
  $('alert-rows').tBodies[0].replaceChildren(...page.items.map((alert) => {
    const actions = el('div', { class: 'row-actions' });
    if (managesCases && alert.status !== 'DELIVERED') {
      actions.append(button({ class: 'retry-alert', onclick: () => alertAction(alert, 'retry') }, t('alertRetry')));
    }
    if (managesRealm && alert.status === 'PENDING') {
      actions.append(button({ class: 'skip-alert', onclick: () => alertAction(alert, 'skip') }, t('alertSkip')));
    }
    const delivery = alert.status === 'DELIVERED' ? t('alertDelivered', formatTime(alert.deliveredAt))
      : alert.status === 'PENDING' ? t('alertPending', alert.attempts, formatTime(alert.nextAttemptAt))
        : t('alertDead', alert.attempts);
    return el('tr', { 'data-alert': alert.id, 'data-status': alert.status },
        el('td', {}, formatTime(alert.createdAt)), el('td', {}, alert.type), el('td', {}, delivery),
        el('td', {}, alert.lastError || ''), el('td', {}, actions));
  }));
  show('alerts-empty', page.items.length === 0);
  // How many times the list was drawn: lets a reader (or a test) tell a fresh list from the one before.
  $('alert-rows').dataset.loads = String(Number($('alert-rows').dataset.loads || 0) + 1);
}

async function alertAction(alert, action) {
  try {
    await adminApi('POST', `/alerts/${encodeURIComponent(alert.id)}/${action}`);
    $('alerts-status').textContent = t(action === 'retry' ? 'alertRetried' : 'alertSkipped', alert.type);
    await loadAlerts();
  } catch (error) {
    $('alerts-status').textContent = error.message;
  }
}

async function loadHealth() {
  const health = await adminApi('GET', '/health');
  $('health-summary').textContent = health.healthy ? t('healthOk') : t('healthHoles', health.holes.length);
  $('health-summary').className = health.healthy ? 'ok' : 'error';
  $('health-holes').replaceChildren(...health.holes.map((hole) => el('li', { 'data-code': hole.code },
      el('strong', {}, `${t(`severity.${hole.severity}`)} · ${hole.code}${hole.subject ? ` · ${hole.subject}` : ''}`),
      el('p', {}, hole.message), el('p', { class: 'fix' }, `${t('healthFix')}: ${hole.fix}`))));
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

  $('reload-pipeline').addEventListener('click', () => loadPipeline().catch((error) => status(error.message, true)));
  $('case-filter').addEventListener('submit', searchCases);
  $('cases-more').addEventListener('click', () => searchCases(null, true));
  $('close-case').addEventListener('click', closeCase);
  $('new-hire').addEventListener('click', openCreateForm);
  $('create-form').addEventListener('submit', createHire);
  $('create-cancel').addEventListener('click', () => show('create-form', false));
  $('stage-form').addEventListener('submit', changeStage);
  $('deadline-form').addEventListener('submit', changeDeadline);
  $('reload-alerts').addEventListener('click', () => loadAlerts().catch((error) => status(error.message, true)));
  $('reload-health').addEventListener('click', () => loadHealth().catch((error) => status(error.message, true)));

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
  managesCases = me.managesCases;
  managesRealm = me.managesRealm;
  if (me.viewsCases || me.auditor) {
    show('pipeline', true);
    await loadPipeline();
  }
  if (me.viewsCases) {
    show('cases-admin', true);
    show('new-hire', me.managesCases);
    show('alerts', true);
    await searchCases();
    await loadAlerts();
  }
  if (me.viewsRealm) {
    show('health', true);
    await loadHealth();
  }
  if (me.startsHires) show('starter', true);
  if (me.auditor) {
    show('auditor', true);
    await searchAudit();
  }
  show('no-duties', !me.verifier && !me.auditor && !me.startsHires && !me.helpdesk && !me.sponsor && !me.viewsCases);
}

start().catch((error) => status(error.message, true));
