/**
 * Northstar's browser client: one ES module, no build step, no dependencies.
 *
 *   import { Northstar } from './northstar.js';
 *   const northstar = new Northstar({ ingestUrl: 'https://ingest.example.com', writeKey: 'nsw_...' });
 *   northstar.featureUsed('export-csv', { rows: 1200 });
 *   northstar.identify('user-42');            // after sign-in: the anonymous visitor and the user are one person
 *
 * Events are queued in localStorage the moment they are made and leave it only once ingest has
 * answered for them, so a page closed, a tab crashed or a device offline loses nothing: unsent events
 * go on the next load (each keeps its eventId, so one sent twice is counted once). Batches go with
 * fetch(keepalive), one at a time; on pagehide the next batch is sent with keepalive so it can outlive
 * the page. 429 and 503 (and no answer at all) are retried with exponential backoff and jitter,
 * honouring Retry-After; going back online retries at once. An event ingest rejects is reported to
 * onRejected and never retried. Each visitor gets an anonymousId, kept in localStorage.
 */

const SLUG = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const SLUG_TEXT = '[a-z0-9][a-z0-9._-]{0,63}';
/** Keepalive requests may carry at most 64 KiB in total; a batch stays below this. */
const MAX_BATCH_BYTES = 60000;

function newId() {
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === 'function') {
    return globalThis.crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function checkText(name, value, max) {
  if (typeof value !== 'string' || value.length < 1 || value.length > max) {
    throw new TypeError(name + ': must be a string of 1 to ' + max + ' characters');
  }
}

function checkSlug(name, value) {
  if (typeof value !== 'string' || !SLUG.test(value)) {
    throw new TypeError(name + ': must match ' + SLUG_TEXT);
  }
}

function checkProperties(properties) {
  if (properties === undefined) {
    return;
  }
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    throw new TypeError('properties: must be a flat object');
  }
  const keys = Object.keys(properties);
  if (keys.length > 50) {
    throw new TypeError('properties: at most 50 keys, not ' + keys.length);
  }
  for (const key of keys) {
    const v = properties[key];
    if (!['string', 'number', 'boolean'].includes(typeof v)) {
      throw new TypeError('properties.' + key + ': must be a string, number or boolean');
    }
  }
}

export class Northstar {
  /**
   * @param {object} options
   * @param {string} options.ingestUrl   where ingest answers, e.g. https://ingest.example.com
   * @param {string} options.writeKey    the project's write key (nsw_...)
   * @param {number} [options.batchSize=20]        events per request at most
   * @param {number} [options.flushIntervalMs=1000] how long an event may wait for others to join its batch
   * @param {number} [options.maxQueue=1000]       events kept at most while ingest cannot be reached (the oldest go first, counted in dropped)
   * @param {function} [options.onRejected]       called with {eventId, error} for each event ingest refuses
   * @param {Storage} [options.storage=localStorage]
   * @param {string} [options.storagePrefix='northstar.'] keys used in the storage
   */
  constructor(options) {
    const o = Object.assign({
      batchSize: 20, flushIntervalMs: 1000, maxQueue: 1000, onRejected: null,
      storage: globalThis.localStorage, storagePrefix: 'northstar.', retryMinMs: 1000, retryMaxMs: 60000,
    }, options);
    checkText('ingestUrl', o.ingestUrl, 2048);
    checkText('writeKey', o.writeKey, 256);
    this._o = o;
    this._endpoint = new URL('/v1/events', o.ingestUrl).toString();
    this._queue = this._read('queue', []);
    this._anonymousId = this._read('anonymousId', null);
    if (!this._anonymousId) {
      this._anonymousId = newId();
      this._write('anonymousId', this._anonymousId);
    }
    this._userId = this._read('userId', null);
    this._failures = 0;
    this._notBefore = 0;
    this._timer = null;
    this._inFlight = null;
    this.stats = { sent: 0, rejected: 0, dropped: 0, retries: 0 };
    if (typeof addEventListener === 'function') {
      addEventListener('pagehide', () => this._sendOnExit());
      addEventListener('online', () => { this._failures = 0; this._notBefore = 0; this._schedule(0); });
    }
    if (this._queue.length) {
      this._schedule(0);   // what an earlier page left unsent
    }
  }

  /** The id of this browser's visitor (kept across loads until reset()). */
  get anonymousId() {
    return this._anonymousId;
  }

  /** The signed-in user's id, if identify() was called. */
  get userId() {
    return this._userId;
  }

  /** Events made and not yet answered for by ingest. */
  get pending() {
    return this._queue.length;
  }

  featureUsed(feature, properties) {
    checkSlug('feature', feature);
    return this._add({ type: 'feature_used', feature, properties });
  }

  featureFailed(feature, errorCode, properties) {
    checkSlug('feature', feature);
    if (errorCode !== undefined && errorCode !== null) {
      checkText('errorCode', errorCode, 128);
    }
    return this._add({ type: 'feature_failed', feature, errorCode: errorCode ?? undefined, properties });
  }

  funnelStep(funnel, step, properties) {
    checkSlug('funnel', funnel);
    if (!Number.isInteger(step) || step < 1 || step > 50) {
      throw new TypeError('step: must be an integer from 1 to 50');
    }
    return this._add({ type: 'funnel_step', funnel, step, properties });
  }

  feedbackGiven(feature, rating, comment) {
    checkSlug('feature', feature);
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
      throw new TypeError('rating: must be an integer from 1 to 5');
    }
    if (comment !== undefined && comment !== null && (typeof comment !== 'string' || comment.length > 2000)) {
      throw new TypeError('comment: must be a string of at most 2000 characters');
    }
    return this._add({ type: 'feedback_given', feature, rating, comment: comment ?? undefined });
  }

  /** The visitor signed in as userId: from now on (and for what it did before) one person. */
  identify(userId) {
    checkText('userId', userId, 128);
    if (userId === this._userId) {
      return null;
    }
    this._userId = userId;
    this._write('userId', userId);
    if (userId === this._anonymousId) {
      return null;
    }
    return this._add({ type: 'user_identified' });
  }

  /** Signed out: a new anonymous visitor from now on. Events not yet sent still go. */
  reset() {
    this._userId = null;
    this._write('userId', null);
    this._anonymousId = newId();
    this._write('anonymousId', this._anonymousId);
  }

  /** Sends everything queued; resolves once it is sent or ingest cannot take it now (then it is retried later). */
  flush() {
    if (this._inFlight) {
      return this._inFlight.then(() => (this._queue.length && !this._waiting() ? this.flush() : undefined));
    }
    clearTimeout(this._timer);
    this._timer = null;
    this._inFlight = (async () => {
      while (this._queue.length && !this._waiting()) {
        const batch = this._batch();
        if (!(await this._send(batch, false))) {
          break;
        }
      }
    })().finally(() => {
      this._inFlight = null;
      if (this._queue.length) {
        this._schedule(this._waiting() ? this._notBefore - Date.now() : this._o.flushIntervalMs);
      }
    });
    return this._inFlight;
  }

  _add(fields) {
    const event = { eventId: newId(), type: fields.type, anonymousId: this._anonymousId };
    if (this._userId && this._userId !== this._anonymousId) {
      event.userId = this._userId;
    }
    for (const [k, v] of Object.entries(fields)) {
      if (v !== undefined && k !== 'type') {
        event[k] = v;
      }
    }
    checkProperties(event.properties);
    event.occurredAt = new Date().toISOString();
    this._queue.push(event);
    while (this._queue.length > this._o.maxQueue) {
      this._queue.shift();
      this.stats.dropped++;
    }
    this._write('queue', this._queue);
    this._schedule(this._queue.length >= this._o.batchSize ? 0 : this._o.flushIntervalMs);
    return event.eventId;
  }

  /** The first events of the queue that fit one request. */
  _batch() {
    const batch = [];
    let bytes = 40;
    for (const event of this._queue) {
      const size = JSON.stringify(event).length + 1;
      if (batch.length === this._o.batchSize || (batch.length && bytes + size > MAX_BATCH_BYTES)) {
        break;
      }
      batch.push(event);
      bytes += size;
    }
    return batch;
  }

  /** Sends one batch; true when ingest answered for it (taken or refused), false to retry later. */
  async _send(batch, exiting) {
    let response;
    try {
      response = await fetch(this._endpoint, {
        method: 'POST',
        keepalive: true,
        headers: { 'Authorization': 'Bearer ' + this._o.writeKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ sentAt: new Date().toISOString(), events: batch }),
      });
    } catch (offline) {
      if (!exiting) {
        this._backoff(null);
      }
      return false;
    }
    if (response.status === 429 || response.status === 503 || response.status >= 500) {
      this._backoff(response.headers.get('Retry-After'));
      return false;
    }
    let body = null;
    try {
      body = await response.json();
    } catch (notJson) {
      body = null;
    }
    const ids = new Set(batch.map((e) => e.eventId));
    if (response.ok && body && Array.isArray(body.results)) {
      for (const result of body.results) {
        if (result.status === 'rejected') {
          this._reject(result.eventId, result.error);
        } else {
          this.stats.sent++;
        }
      }
    } else {
      // Any other answer (a wrong key, a batch refused whole) will not change by sending it again.
      const reason = (body && (body.detail || body.title)) || ('HTTP ' + response.status);
      batch.forEach((e) => this._reject(e.eventId, reason));
    }
    this._queue = this._queue.filter((e) => !ids.has(e.eventId));
    this._write('queue', this._queue);
    this._failures = 0;
    this._notBefore = 0;
    return true;
  }

  _reject(eventId, error) {
    this.stats.rejected++;
    if (typeof this._o.onRejected === 'function') {
      try {
        this._o.onRejected({ eventId, error });
      } catch (ignored) {
        // the callback's failure is the page's
      }
    } else if (globalThis.console) {
      console.warn('northstar: event ' + eventId + ' rejected: ' + error);
    }
  }

  /** Waits before the next attempt: Retry-After when given, else 1 s doubling to a minute, with jitter. */
  _backoff(retryAfter) {
    this._failures++;
    this.stats.retries++;
    const seconds = Number.parseInt(retryAfter, 10);
    const full = Math.min(this._o.retryMaxMs, this._o.retryMinMs * 2 ** (this._failures - 1));
    const wait = Number.isFinite(seconds) ? seconds * 1000 : full / 2 + Math.random() * full / 2;
    this._notBefore = Date.now() + wait;
  }

  _waiting() {
    return Date.now() < this._notBefore;
  }

  _schedule(ms) {
    if (this._timer !== null) {
      return;
    }
    this._timer = setTimeout(() => { this._timer = null; this.flush(); }, Math.max(0, ms));
  }

  /** On pagehide: the next batch with keepalive, not awaited; it stays queued until answered. */
  _sendOnExit() {
    if (this._queue.length && !this._inFlight) {
      this._send(this._batch(), true);
    }
  }

  _read(name, fallback) {
    try {
      const text = this._o.storage && this._o.storage.getItem(this._o.storagePrefix + name);
      return text === null || text === undefined ? fallback : JSON.parse(text);
    } catch (unreadable) {
      return fallback;
    }
  }

  _write(name, value) {
    try {
      if (!this._o.storage) {
        return;
      }
      if (value === null) {
        this._o.storage.removeItem(this._o.storagePrefix + name);
      } else {
        this._o.storage.setItem(this._o.storagePrefix + name, JSON.stringify(value));
      }
    } catch (full) {
      // storage full or disabled: events still go, they just would not survive a reload
    }
  }
}
