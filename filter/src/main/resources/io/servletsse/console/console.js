// servlet-sse console. No framework, no build step. Every value shown comes from the server and is
// put into the page with textContent or attributes only (never innerHTML), so a hostile bucket name
// or key description is shown as text. Every call sends the session's CSRF token; the server checks
// permissions on every call and the page shows its denial.
'use strict';
(function () {
  const base = location.pathname.replace(/console\/[^/]*$/, '');
  const api = base + 'api/';
  let session = null;
  let keysCache = [];
  let flash = null; // a message to show after the next navigation

  const $ = (id) => document.getElementById(id);

  /** createElement with attributes and text/element children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v; else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === undefined || c === null) continue;
      e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  function message(text, kind) {
    const m = $('message');
    m.textContent = text;
    m.className = kind || 'info';
    m.hidden = !text;
  }

  class ApiError extends Error {
    constructor(status, body) {
      super(body && body.Message ? body.Message : 'HTTP ' + status);
      this.status = status;
      this.code = body && body.Code;
    }
  }

  async function call(name, params, post) {
    const opts = { method: post ? 'POST' : 'GET', credentials: 'same-origin', headers: {} };
    let url = api + name;
    if (post) {
      opts.headers['Content-Type'] = 'application/json';
      if (session && session.CsrfToken) opts.headers['X-CSRF-Token'] = session.CsrfToken;
      opts.body = JSON.stringify(params || {});
    } else if (params) {
      url += '?' + new URLSearchParams(params).toString();
    }
    const r = await fetch(url, opts);
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) throw new ApiError(r.status, body);
    return body;
  }

  /** The user-facing text of a failure; denials say so plainly. */
  function describe(err) {
    if (err instanceof ApiError) {
      if (err.status === 403 && err.code === 'AccessDenied') return 'Access denied: ' + err.message + ' (AccessDenied)';
      if (err.status === 401) return 'Not signed in: ' + err.message;
      return err.message + (err.code ? ' (' + err.code + ')' : '');
    }
    return 'Request failed: ' + err.message;
  }

  async function guarded(fn) {
    try {
      await fn();
    } catch (err) {
      message(describe(err), 'error');
      if (err instanceof ApiError && err.status === 401) await start();
    }
  }

  // ---------------------------------------------------------------- views

  const views = ['login', 'buckets', 'create', 'bucket', 'keys'];
  function showView(name) {
    for (const v of views) $('view-' + v).hidden = v !== name;
    $('nav-buckets').classList.toggle('active', name !== 'keys');
    $('nav-keys').classList.toggle('active', name === 'keys');
  }

  async function route() {
    if (!session || !session.CsrfToken) { showView('login'); return; }
    const h = decodeURIComponent(location.hash.replace(/^#/, ''));
    if (h === 'keys') { showView('keys'); await guarded(loadKeys); return; }
    if (h === 'create') { showView('create'); await guarded(prepareCreate); return; }
    if (h.startsWith('bucket/')) { showView('bucket'); await guarded(() => loadBucket(h.substring(7))); return; }
    showView('buckets');
    await guarded(loadBuckets);
  }

  // ---------------------------------------------------------------- session

  async function start() {
    session = await call('Session');
    const signedIn = !!session.CsrfToken;
    $('nav').hidden = !signedIn;
    $('logout').hidden = !(signedIn && session.IdentityMode === 'accessKey');
    $('user').textContent = signedIn ? (session.ChecksPermissions ? 'Signed in as ' + session.User : 'No access section: permissions are not checked') : '';
    await route();
  }

  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    guarded(async () => {
      session = await call('Login', { AccessKeyId: $('login-ak').value, AccessKeySecret: $('login-secret').value }, true);
      $('login-secret').value = '';
      message('', 'info');
      await start();
    });
  });

  $('logout').addEventListener('click', () => guarded(async () => {
    await call('Logout', {}, true);
    session = null;
    location.hash = '';
    await start();
  }));

  // ---------------------------------------------------------------- buckets

  function ruleText(rule) {
    if (!rule) return 'No permission to view';
    if (rule.SSEAlgorithm !== 'KMS') return rule.SSEAlgorithm;
    let t = 'KMS (' + (rule.KMSMasterKeyID || 'alias/acs/oss') + ')';
    if (rule.KMSDataEncryption) t += ', data encryption ' + rule.KMSDataEncryption;
    return t;
  }

  async function loadBuckets() {
    const r = await call('oss/ListBuckets');
    const rows = $('bucket-rows');
    rows.replaceChildren();
    for (const b of r.Buckets) {
      const link = el('a', { href: '#bucket/' + encodeURIComponent(b.Name), 'data-bucket': b.Name }, 'Basic Settings');
      rows.append(el('tr', { 'data-bucket': b.Name },
        el('td', {}, b.Name),
        el('td', { class: 'sse' }, b.AccessDenied ? 'No permission to view' : ruleText(b.ServerSideEncryptionRule)),
        el('td', { class: 'muted' }, (b.Sources || []).join(', ')),
        el('td', {}, link)));
    }
    if (r.Buckets.length === 0) rows.append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No buckets yet.')));
  }

  $('create-bucket-open').addEventListener('click', () => { location.hash = 'create'; });

  /** The Server Encryption choices (None / AES256 / SM4 / KMS with alias/acs/oss or a CMK ID, SM4 data). */
  function sseFieldset(fs, prefix, current) {
    fs.replaceChildren(el('legend', {}, 'Server Encryption'));
    const algs = ['None', 'AES256', 'SM4', 'KMS'];
    const cur = current || { SSEAlgorithm: 'None' };
    for (const a of algs) {
      const input = el('input', { type: 'radio', name: prefix + '-alg', value: a, id: prefix + '-alg-' + a });
      input.checked = cur.SSEAlgorithm === a;
      fs.append(el('label', { class: 'choice' }, input, a));
    }
    const select = el('select', { id: prefix + '-cmk' }, el('option', { value: '' }, 'alias/acs/oss (default CMK managed by KMS)'));
    for (const k of keysCache) {
      const st = k.KeyMetadata ? k.KeyMetadata.KeyState : '';
      const desc = k.KeyMetadata && k.KeyMetadata.Description ? ' - ' + k.KeyMetadata.Description : '';
      select.append(el('option', { value: k.KeyId, disabled: !!(st && st !== 'Enabled') }, k.KeyId + desc + (st && st !== 'Enabled' ? ' (' + st + ')' : '')));
    }
    if (cur.KMSMasterKeyID) select.value = cur.KMSMasterKeyID;
    const sm4 = el('input', { type: 'checkbox', id: prefix + '-sm4' });
    sm4.checked = cur.KMSDataEncryption === 'SM4';
    const kms = el('div', { class: 'kms-options', id: prefix + '-kms' },
      el('label', {}, 'CMK', select),
      el('label', { class: 'choice' }, sm4, 'Use SM4 for data encryption'));
    fs.append(kms);
    const sync = () => { kms.hidden = !$(prefix + '-alg-KMS').checked; };
    fs.addEventListener('change', sync);
    sync();
  }

  function sseValue(prefix) {
    const alg = document.querySelector('input[name="' + prefix + '-alg"]:checked').value;
    const rule = { SSEAlgorithm: alg };
    if (alg === 'KMS') {
      const cmk = $(prefix + '-cmk').value;
      if (cmk) rule.KMSMasterKeyID = cmk;
      if ($(prefix + '-sm4').checked) rule.KMSDataEncryption = 'SM4';
    }
    return rule;
  }

  /** The caller's CMKs for the KMS choice (needs kms:List*); without permission only alias/acs/oss is offered. */
  async function loadKeyChoices() {
    keysCache = [];
    if (!session.KmsEnabled) return;
    try {
      keysCache = (await call('kms/ListKeys')).Keys;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 403)) throw err;
    }
  }

  async function prepareCreate() {
    $('create-name').value = '';
    await loadKeyChoices();
    sseFieldset($('create-sse'), 'create', null);
  }

  $('create-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    guarded(async () => {
      const name = $('create-name').value.trim();
      const r = await call('oss/CreateBucket', { Bucket: name, ServerSideEncryptionRule: sseValue('create') }, true);
      flash = 'Bucket ' + r.Bucket + ' created with server encryption ' + ruleText(r.ServerSideEncryptionRule) + '.';
      location.hash = 'buckets';
    });
  });

  let currentBucket = null;
  let currentRule = null;
  async function loadBucket(name) {
    currentBucket = name;
    $('bucket-name').textContent = name;
    $('configure-form').hidden = true;
    $('configure-open').hidden = false;
    const r = await call('oss/GetBucketEncryption', { Bucket: name });
    currentRule = r.ServerSideEncryptionRule;
    $('bucket-current').textContent = ruleText(currentRule);
  }

  $('configure-open').addEventListener('click', () => guarded(async () => {
    await loadKeyChoices();
    sseFieldset($('configure-sse'), 'configure', currentRule);
    $('configure-form').hidden = false;
    $('configure-open').hidden = true;
  }));
  $('configure-cancel').addEventListener('click', () => { $('configure-form').hidden = true; $('configure-open').hidden = false; });
  $('configure-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    guarded(async () => {
      const r = await call('oss/PutBucketEncryption', { Bucket: currentBucket, ServerSideEncryptionRule: sseValue('configure') }, true);
      await loadBucket(currentBucket);
      message('Server encryption of ' + r.Bucket + ' saved: ' + ruleText(r.ServerSideEncryptionRule)
        + '. Existing objects keep the encryption they were stored with.', 'info');
    });
  });

  // ---------------------------------------------------------------- keys

  async function loadKeys() {
    const rows = $('key-rows');
    rows.replaceChildren();
    const r = await call('kms/ListKeys');
    for (const k of r.Keys) {
      const m = k.KeyMetadata;
      const actions = el('td', { class: 'actions' });
      if (m) {
        const act = (label, action, params, cls) => {
          const b = el('button', { type: 'button', class: 'small ' + (cls || 'secondary'), 'data-action': action, 'data-key': k.KeyId }, label);
          b.addEventListener('click', () => guarded(async () => {
            await call('kms/' + action, Object.assign({ KeyId: k.KeyId }, params || {}), true);
            message(label + ': done for ' + k.KeyId + '.', 'info');
            await loadKeys();
          }));
          actions.append(b);
        };
        if (m.KeyState === 'Enabled') act('Disable', 'DisableKey', null);
        if (m.KeyState === 'Disabled') act('Enable', 'EnableKey', null);
        if (m.KeyState === 'Enabled' && m.Origin !== 'EXTERNAL') act('Rotate', 'CreateKeyVersion', null);
        if (m.KeyState === 'PendingDeletion') act('Cancel deletion', 'CancelKeyDeletion', null);
        else act('Schedule deletion (7 days)', 'ScheduleKeyDeletion', { PendingWindowInDays: 7 }, 'danger');
      }
      rows.append(el('tr', { 'data-key': k.KeyId },
        el('td', { class: 'mono' }, k.KeyId),
        el('td', { class: 'description' }, m ? m.Description : 'No permission to describe'),
        el('td', {}, m ? el('span', { class: 'badge ' + m.KeyState, 'data-state': m.KeyState }, m.KeyState) : ''),
        el('td', {}, m ? m.Origin : ''),
        el('td', { class: 'mono' }, m ? m.Aliases.join(', ') : ''),
        el('td', {}, m ? 'v' + m.PrimaryKeyVersion : ''),
        el('td', {}, m ? m.CreationDate.substring(0, 19).replace('T', ' ') : ''),
        actions));
    }
    if (r.Keys.length === 0) rows.append(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No keys yet.')));
    try {
      const s = await call('kms/GetStats');
      $('kms-stats').textContent = 'KMS calls on this node: ' + s.BackendGenerateCalls + ' data-key generations, '
        + s.BackendDecryptCalls + ' decryptions; decrypt cache ' + s.DecryptCacheHits + ' hits / ' + s.DecryptCacheMisses + ' misses.';
    } catch (err) {
      $('kms-stats').textContent = '';
    }
  }

  $('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    guarded(async () => {
      const r = await call('kms/CreateKey', { Description: $('key-description').value, Origin: $('key-origin').value }, true);
      $('key-description').value = '';
      message('Key ' + r.KeyMetadata.KeyId + ' created (' + r.KeyMetadata.KeyState + ').', 'info');
      await loadKeys();
    });
  });

  window.addEventListener('hashchange', () => { message(flash || '', 'info'); flash = null; route(); });
  guarded(start);
})();
