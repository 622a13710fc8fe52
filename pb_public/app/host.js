// The host's console, /host/: sign in, the host's sessions, the session
// editor (host-edit.js) and the run view (host-run.js). The place is in
// the address's fragment (#/s/ID, #/s/ID/run), so a reload stays put.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { connectHost, duplicate, fieldErrors, sessionsWithCounts, signUpAllowed } from './host-api.js';
import { Editor } from './host-edit.js';
import { Confirm, ErrorText, Status, TextField, go } from './host-forms.js';
import { Run } from './host-run.js';
import { host as h, t } from './i18n.js';
import { html } from './ui.js';

const pb = connectHost();

/** route reads the fragment: {view: 'list'|'edit'|'run', id}. */
function route() {
  const m = location.hash.match(/^#\/s\/([a-z0-9]+)(\/run)?$/);
  if (!m) return { view: 'list' };
  return { view: m[2] ? 'run' : 'edit', id: m[1] };
}

function App() {
  const [user, setUser] = useState(pb.authStore.isValid ? pb.authStore.record : null);
  const [where, setWhere] = useState(route);

  useEffect(() => pb.authStore.onChange((_, rec) => setUser(pb.authStore.isValid ? rec : null)), []);
  useEffect(() => {
    const on = () => setWhere(route());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  // A token that died on the server (a deleted account) signs out.
  useEffect(() => {
    if (user) pb.collection('users').authRefresh().catch((err) => err.status === 401 && pb.authStore.clear());
  }, []);

  let body;
  if (!user) body = html`<${SignIn} />`;
  else if (where.view === 'edit') body = html`<${Editor} pb=${pb} id=${where.id} />`;
  else if (where.view === 'run') body = html`<${Run} pb=${pb} id=${where.id} />`;
  else body = html`<${Sessions} />`;

  return html`<a class="skip" href="#main" onClick=${(e) => {
      e.preventDefault();
      document.getElementById('main')?.focus();
    }}>${h.skip}</a>
    <header class="topbar">
      <a class="brand" href="#/">${t.appName} · ${h.title}</a>
      ${user
        ? html`<span class="who">${h.signedInAs(user.email)}</span>
            <button type="button" class="secondary small" onClick=${() => {
              pb.authStore.clear();
              go('#/');
            }}>${h.signOut}</button>`
        : null}
    </header>
    <main id="main" tabindex="-1">${body}</main>`;
}

function SignIn() {
  const [mode, setMode] = useState('in');
  const [canSignUp, setCanSignUp] = useState(false);
  const [form, setForm] = useState({ email: '', password: '', passwordConfirm: '' });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    signUpAllowed(pb).then(setCanSignUp);
  }, []);
  const set = (k) => (v) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      if (mode === 'up') await pb.collection('users').create({ ...form });
      await pb.collection('users').authWithPassword(form.email, form.password);
    } catch (err) {
      if (mode === 'in' && err.status === 400) setErrors({ _: h.badLogin });
      else if (err.status === 429) setErrors({ _: h.tooMany });
      else setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  };
  const title = mode === 'in' ? h.signInTitle : h.signUpTitle;
  return html`<form class="narrow card-box" onSubmit=${submit} aria-labelledby="signin-title" novalidate>
    <h1 id="signin-title">${title}</h1>
    <${ErrorText} id="signin-error" text=${errors._} />
    <${TextField} id="email" label=${h.email} value=${form.email} onInput=${set('email')} error=${errors.email} type="email" autocomplete="username" />
    <${TextField} id="password" label=${h.password} value=${form.password} onInput=${set('password')} error=${errors.password}
      type="password" autocomplete=${mode === 'in' ? 'current-password' : 'new-password'} />
    ${mode === 'up'
      ? html`<${TextField} id="password-confirm" label=${h.passwordConfirm} value=${form.passwordConfirm} onInput=${set('passwordConfirm')}
          error=${errors.passwordConfirm} type="password" autocomplete="new-password" />`
      : null}
    <button type="submit" disabled=${busy}>${mode === 'in' ? h.signIn : h.signUp}</button>
    ${canSignUp
      ? html`<button type="button" class="secondary" onClick=${() => setMode(mode === 'in' ? 'up' : 'in')}>
          ${mode === 'in' ? h.needAccount : h.haveAccount}
        </button>`
      : null}
  </form>`;
}

const ORDER = ['active', 'draft', 'completed'];

function Sessions() {
  const [list, setList] = useState(null);
  const [title, setTitle] = useState('');
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(null);
  const [message, setMessage] = useState('');

  const load = () =>
    sessionsWithCounts(pb)
      .then(setList)
      .catch((err) => setErrors(fieldErrors(err)));
  useEffect(() => {
    load();
  }, []);
  useEffect(() => {
    document.title = `${h.sessions} · ${t.appName}`;
  }, []);

  const act = async (fn) => {
    setBusy(true);
    setErrors({});
    try {
      await fn();
    } catch (err) {
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  };
  const create = (e) => {
    e.preventDefault();
    act(async () => {
      const s = await pb.collection('sessions').create({ title });
      go(`#/s/${s.id}`);
    });
  };

  return html`<section class="wide" aria-labelledby="sessions-title">
    <h1 id="sessions-title">${h.sessions}</h1>
    <form class="inline-form" onSubmit=${create} novalidate>
      <${TextField} id="new-title" label=${h.newSessionTitle} value=${title} onInput=${setTitle} error=${errors.title} />
      <button type="submit" disabled=${busy}>${h.createSession}</button>
    </form>
    <${ErrorText} id="sessions-error" text=${errors._ || errors.status} />
    <${Status} text=${message} />
    ${list === null
      ? html`<p>${t.loading}</p>`
      : list.length === 0
        ? html`<p class="muted">${h.noSessions}</p>`
        : ORDER.map((status) => {
            const group = list.filter((s) => s.status === status);
            if (!group.length) return null;
            return html`<section key=${status} aria-labelledby=${`group-${status}`}>
              <h2 id=${`group-${status}`}>${h.groups[status]}</h2>
              <ul class="session-list" aria-labelledby=${`group-${status}`}>
                ${group.map(
                  (s) => html`<li key=${s.id} class="session-item">
                    <div class="session-main">
                      <a href=${`#/s/${s.id}`} aria-label=${h.open(s.title)}>${s.title}</a>
                      <span class="muted">${s.code} · ${h.counts(s.activities, s.participants)}</span>
                    </div>
                    <div class="row-actions">
                      ${s.status !== 'completed'
                        ? html`<a class="button small" href=${`#/s/${s.id}/run`} aria-label=${h.runSession(s.title)}>${h.run}</a>`
                        : null}
                      <button type="button" class="secondary small" disabled=${busy} aria-label=${h.duplicateSession(s.title)}
                        onClick=${() =>
                          act(async () => {
                            await duplicate(pb, s.id);
                            setMessage(h.duplicated(s.title));
                            await load();
                          })}>${h.duplicate}</button>
                      ${s.status !== 'active'
                        ? html`<button type="button" class="secondary small danger" disabled=${busy} aria-label=${h.deleteSession(s.title)}
                            onClick=${() => setConfirm(s)}>${h.delete}</button>`
                        : null}
                    </div>
                  </li>`,
                )}
              </ul>
            </section>`;
          })}
    ${confirm
      ? html`<${Confirm}
          title=${h.confirmDelete(confirm.title)}
          body=${h.confirmDeleteBody}
          yes=${h.delete}
          onNo=${() => setConfirm(null)}
          onYes=${() => {
            const s = confirm;
            setConfirm(null);
            act(async () => {
              await pb.collection('sessions').delete(s.id);
              await load();
            });
          }}
        />`
      : null}
  </section>`;
}

render(html`<${App} />`, document.getElementById('app'));
