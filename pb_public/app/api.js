// The server, as the pages see it: one PocketBase SDK client per session
// code, the custom routes of docs/API.md, the live topic, and what a
// server error means in words.
import PocketBase, { BaseAuthStore, LocalAuthStore } from 'pocketbase';
import { errorText, t } from './i18n.js';

const CODE_PATTERN = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$/;

/** cleanCode trims and upper-cases a code as the server matches it. */
export const cleanCode = (s) => (s || '').trim().toUpperCase();

/** validCode reports whether s has the shape of a join code. */
export const validCode = (s) => CODE_PATTERN.test(s);

/** codeFromPath reads the code of /join/CODE or /screen/CODE. */
export function codeFromPath() {
  const m = location.pathname.match(/^\/(?:join|screen)\/([^/]+)\/?$/);
  return m ? cleanCode(decodeURIComponent(m[1])) : '';
}

/**
 * connect returns the SDK client of one session. Its auth store keeps the
 * participant's token in localStorage under the code, so a reload, a new
 * tab or a phone that slept resumes as the same participant.
 */
export function connect(code) {
  return client(new LocalAuthStore(`conflicto.${code}`));
}

/** connectAnonymous is a client that never sends a token: the big screen. */
export function connectAnonymous() {
  return client(new BaseAuthStore());
}

function client(store) {
  const pb = new PocketBase(location.origin, store);
  pb.autoCancellation(false);
  return pb;
}

// The server's clock minus ours, from the Date header of the live state,
// so that a quiz countdown follows the server's deadline on a phone whose
// clock is off. The header has whole seconds: small offsets are noise.
let clockOffset = 0;

/** serverNow is the server's time in milliseconds, as well as we know it. */
export const serverNow = () => Date.now() + clockOffset;

async function timedFetch(url, init) {
  const sent = Date.now();
  const res = await fetch(url, init);
  const date = Date.parse(res.headers.get('Date') || '');
  if (!Number.isNaN(date)) {
    const offset = date + 500 - (sent + Date.now()) / 2;
    clockOffset = Math.abs(offset) > 2000 ? offset : 0;
  }
  return res;
}

/** parseDate reads the server's "2006-01-02 15:04:05.000Z" dates. */
export const parseDate = (s) => (s ? Date.parse(s.replace(' ', 'T')) : NaN);

/** getLive reads the live state; with the participant's token it has `me`. */
export function getLive(pb, code) {
  return pb.send(`/api/live/${encodeURIComponent(code)}`, { fetch: timedFetch, cache: 'no-store' });
}

// A phone keeps the token it had when the host removed it, under the
// code: a join (and a join check) sends it, so that the server can refuse
// a phone the host banned from the session, whatever nickname it tries
// (docs/API.md, "Moderation"). A kicked participant's token says nothing
// and is ignored.
const removedKey = (code) => `conflicto.${code}.removed`;

/** rememberRemoved keeps the token of a participant the host removed. */
export function rememberRemoved(code, token) {
  if (token) localStorage.setItem(removedKey(code), token);
}

/** wasRemoved reports whether this phone was removed from the session. */
export const wasRemoved = (code) => Boolean(localStorage.getItem(removedKey(code)));

// removedHeaders sends the removed token where the auth store has none.
function removedHeaders(pb, code) {
  const removed = localStorage.getItem(removedKey(code));
  return removed && !pb.authStore.token ? { Authorization: removed } : {};
}

/** checkNickname asks whether a nickname is free: {available, nickname, suggestion}. */
export function checkNickname(pb, code, nickname, signal) {
  return pb.send('/api/join/check', { query: { code, nickname }, signal, headers: removedHeaders(pb, code) });
}

/**
 * isBanned asks whether the host banned this phone from the session (the
 * join check answers 403 "banned" to its removed token; any nickname does).
 */
export async function isBanned(pb, code) {
  try {
    await checkNickname(pb, code, 'x');
    return false;
  } catch (err) {
    return fieldCode(err, 'code') === 'banned';
  }
}

/** join joins the session and keeps the token on the device. */
export async function join(pb, code, nickname) {
  const res = await pb.send('/api/join', { method: 'POST', body: { code, nickname }, headers: removedHeaders(pb, code) });
  pb.authStore.save(res.token, res.record);
  localStorage.removeItem(removedKey(code));
  return res;
}

/** heartbeat tells the server the participant is still here. */
export function heartbeat(pb) {
  return pb.send('/api/participants/heartbeat', { method: 'POST' });
}

/**
 * answer sends the participant's answer to an activity: a create, or an
 * update when they answered before (also from another tab or before a
 * reload). It returns the response record.
 */
export async function answer(pb, activityId, value) {
  const me = pb.authStore.record;
  const responses = pb.collection('responses');
  const mine = () =>
    responses.getFirstListItem(pb.filter('activity = {:a} && participant = {:p}', { a: activityId, p: me.id }));
  try {
    return await responses.create({ activity: activityId, participant: me.id, value });
  } catch (err) {
    if (fieldCode(err, 'activity') !== 'already_answered') throw err;
  }
  const existing = await mine();
  return responses.update(existing.id, { value });
}

/** myResponse is the participant's response to an activity, or null. */
export async function myResponse(pb, activityId) {
  const me = pb.authStore.record;
  try {
    return await pb
      .collection('responses')
      .getFirstListItem(pb.filter('activity = {:a} && participant = {:p}', { a: activityId, p: me.id }));
  } catch (err) {
    if (err.status === 404) return null;
    throw err;
  }
}

/**
 * follow subscribes to the live topic of a session. onDoc gets each live
 * document, newest version only; onLink(connected) hears when the realtime
 * connection drops and comes back (the SDK reconnects by itself and the
 * server welcomes each subscription with the current document). It
 * returns the function that unsubscribes.
 *
 * fresh starts from a new realtime connection, subscribed with the token
 * the client has now: the SDK sends a subscription list only when it
 * changed, so a page that followed the topic before joining would keep
 * following it as a guest, and the server could not tell that connection
 * is the participant's (it closes a kicked participant's connections).
 */
export async function follow(pb, code, { onDoc, onLink, fresh = false }) {
  let version = 0;
  let connects = 0;
  const unsubs = [];
  if (fresh) await pb.realtime.unsubscribe();
  pb.realtime.onDisconnect = (subs) => {
    if (subs.length) onLink?.(false);
  };
  unsubs.push(
    await pb.realtime.subscribe('PB_CONNECT', () => {
      if (connects++ > 0) onLink?.(true);
    }),
  );
  unsubs.push(
    await pb.realtime.subscribe(`live/${code}`, (doc) => {
      if (!doc || typeof doc.version !== 'number' || doc.version <= version) return;
      version = doc.version;
      onDoc(doc);
    }),
  );
  // The subscription now carries the token, so a kick from here on closes
  // this connection; one read covers a kick that came before it.
  if (fresh) onLink?.(true);
  return () => unsubs.forEach((u) => u().catch(() => {}));
}

/** fieldCode is the server's error code for a field, if any. */
export function fieldCode(err, field) {
  return err?.response?.data?.[field]?.code;
}

/**
 * explain turns an SDK error into what the page shows: the field it is
 * about (or null), the server's code and a sentence. n is the number a
 * word-cloud error message needs.
 */
export function explain(err, n) {
  if (!err || err.isAbort) return null;
  if (!err.status) return { field: null, code: 'network', message: t.networkError };
  const data = err.response?.data || {};
  for (const field of Object.keys(data)) {
    const code = data[field]?.code;
    if (code) return { field, code, message: errorText(code, n), suggestion: data[field].suggestion ?? null };
  }
  if (err.status === 404) return { field: 'code', code: 'not_found', message: errorText('not_found') };
  return { field: null, code: `status_${err.status}`, message: t.serverError };
}
