// Intl for scripts, in plain JavaScript that runs INSIDE QuickJS before the script (QuickJS has no
// Intl). NumberFormat, PluralRules and DateTimeFormat are FormatJS's polyfills with pinned CLDR
// data (scripts/embed-intl.mjs), loaded when the script first touches them; Collator and
// localeCompare use a pinned table of the Unicode root collation (workflows/collation-table.ts).
// Nothing depends on a worker's ICU, time zone or LANG, so every worker and every replay formats
// and sorts alike. The default locale is en-US and the default time zone UTC.
//
// Embedded at build (scripts/embed-isolate-sources.mjs). Evaluates to `function (host)`.

(function (host) {
  'use strict';
  var defineProperty = Object.defineProperty;
  var intl = {};
  defineProperty(globalThis, 'Intl', { value: intl, writable: true, configurable: true, enumerable: false });

  function method(target, name, fn) {
    defineProperty(target, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }

  // BCP 47 tags, canonicalised for case only: the locale data is 'en' alone, so aliases matter little.
  method(intl, 'getCanonicalLocales', function getCanonicalLocales(locales) {
    if (locales === undefined) return [];
    var list = typeof locales === 'string' ? [locales] : Array.prototype.slice.call(Object(locales));
    var out = [];
    for (var i = 0; i < list.length; i++) {
      var item = list[i];
      if (typeof item !== 'string' && (typeof item !== 'object' || item === null)) throw new TypeError('locale must be a string');
      var tag = String(item);
      if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) throw new RangeError('Incorrect locale information provided');
      var canonical = tag
        .split('-')
        .map(function (part, j) {
          if (j === 0) return part.toLowerCase();
          if (part.length === 2) return part.toUpperCase();
          if (part.length === 4 && /^[A-Za-z]+$/.test(part)) return part.charAt(0).toUpperCase() + part.slice(1).toLowerCase();
          return part.toLowerCase();
        })
        .join('-');
      if (out.indexOf(canonical) < 0) out.push(canonical);
    }
    return out;
  });

  // A tag's parts, for the FormatJS locale matcher. With no likely-subtags data, maximize() and
  // minimize() return the tag as it is (so 'de-DE' matches no data and formats as 'en').
  function Locale(tag) {
    if (!(this instanceof Locale)) throw new TypeError("Constructor Intl.Locale requires 'new'");
    var canonical = intl.getCanonicalLocales(tag instanceof Locale ? tag.toString() : tag)[0];
    if (canonical === undefined) throw new RangeError('Incorrect locale information provided');
    var parts = canonical.split('-u-')[0].split('-');
    var fields = { tag: canonical, language: parts[0], script: undefined, region: undefined };
    for (var i = 1; i < parts.length; i++) {
      if (fields.script === undefined && fields.region === undefined && /^[A-Z][a-z]{3}$/.test(parts[i])) fields.script = parts[i];
      else if (fields.region === undefined && /^([A-Z]{2}|[0-9]{3})$/.test(parts[i])) fields.region = parts[i];
    }
    defineProperty(this, '__baton', { value: fields });
  }
  ['language', 'script', 'region'].forEach(function (name) {
    defineProperty(Locale.prototype, name, {
      configurable: true,
      get: function () {
        return this.__baton[name];
      },
    });
  });
  defineProperty(Locale.prototype, 'baseName', {
    configurable: true,
    get: function () {
      var f = this.__baton;
      return [f.language, f.script, f.region].filter(Boolean).join('-');
    },
  });
  method(Locale.prototype, 'maximize', function maximize() {
    return this;
  });
  method(Locale.prototype, 'minimize', function minimize() {
    return this;
  });
  method(Locale.prototype, 'toString', function toString() {
    return this.__baton.tag;
  });
  method(intl, 'Locale', Locale);

  // --- NumberFormat, PluralRules, DateTimeFormat: loaded on first use ----------------------------
  var loaded = {};
  function load(part) {
    if (loaded[part]) return;
    loaded[part] = true;
    // DateTimeFormat formats its digits with NumberFormat.
    if (part === 'dates') load('numbers');
    host.intlPart(part);
    if (part === 'dates') spacesAsNode();
  }

  // CLDR puts U+202F before AM/PM; V8 (so Node) prints a plain space there in format() and the
  // toLocale*String methods (formatToParts keeps U+202F), and scripts compare with typed strings.
  function spacesAsNode() {
    var plain = function (text) {
      return typeof text === 'string' ? text.replace(/\u202f/g, ' ') : text;
    };
    var wrap = function (target, name) {
      var original = target[name];
      if (typeof original !== 'function') return;
      method(target, name, function () {
        return plain(original.apply(this, arguments));
      });
    };
    var proto = intl.DateTimeFormat.prototype;
    var format = Object.getOwnPropertyDescriptor(proto, 'format');
    if (format && format.get) {
      var getFormat = format.get;
      defineProperty(proto, 'format', {
        configurable: true,
        get: function () {
          var bound = getFormat.call(this);
          return function (date) {
            return plain(bound(date));
          };
        },
      });
    } else wrap(proto, 'format');
    wrap(proto, 'formatRange');
    wrap(Date.prototype, 'toLocaleString');
    wrap(Date.prototype, 'toLocaleDateString');
    wrap(Date.prototype, 'toLocaleTimeString');
  }
  function lazyConstructor(name, part) {
    defineProperty(intl, name, {
      configurable: true,
      enumerable: false,
      get: function () {
        load(part);
        return intl[name];
      },
      set: function (value) {
        defineProperty(intl, name, { value: value, writable: true, configurable: true, enumerable: false });
      },
    });
  }
  lazyConstructor('NumberFormat', 'numbers');
  lazyConstructor('PluralRules', 'numbers');
  lazyConstructor('DateTimeFormat', 'dates');

  // The polyfills replace these methods when they load; the stub only loads them and delegates.
  function lazyMethod(proto, name, part) {
    var stub = function () {
      load(part);
      var real = proto[name];
      if (real === stub) throw new TypeError(name + ' is not available');
      return real.apply(this, arguments);
    };
    method(proto, name, stub);
  }
  lazyMethod(Number.prototype, 'toLocaleString', 'numbers');
  lazyMethod(Date.prototype, 'toLocaleString', 'dates');
  lazyMethod(Date.prototype, 'toLocaleDateString', 'dates');
  lazyMethod(Date.prototype, 'toLocaleTimeString', 'dates');
  if (typeof BigInt === 'function') {
    method(BigInt.prototype, 'toLocaleString', function (locales, options) {
      return new intl.NumberFormat(locales, options).format(this);
    });
  }

  // --- Collator ----------------------------------------------------------------------------------
  // code point -> [primary, secondary, tertiary]; parsed on first comparison.
  var weights = null;
  // code point -> { parts, level }: sorts as its parts, after them at `level` (1 accent, 2 case).
  var expansions = new Map();
  var digitPrimary = 0;
  function table() {
    if (weights) return weights;
    weights = new Map();
    var rows = String(host.collationTable()).split(';');
    for (var i = 0; i < rows.length; i++) {
      var f = rows[i].split(',');
      if (f[1] === 'x')
        expansions.set(parseInt(f[0], 36), {
          parts: f[2].split('.').map(function (n) {
            return parseInt(n, 36);
          }),
          level: Number(f[3]),
        });
      else weights.set(parseInt(f[0], 36), [parseInt(f[1], 36), parseInt(f[2], 36), parseInt(f[3], 36)]);
    }
    digitPrimary = weights.get(0x30)[0];
    return weights;
  }
  // Characters outside the table sort after it by code point, Han last, as ICU's implicit weights do.
  var OTHER = 0x100000,
    HAN = 0x300000;
  function isHan(cp) {
    return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x3134f);
  }

  function weightOf(cp) {
    return weights.get(cp) || [(isHan(cp) ? HAN : OTHER) + cp, 0, 0];
  }

  // The collation elements of a string: [primary, secondary, tertiary, number?] each.
  function elements(text, numeric, ignorePunctuation) {
    var t = table();
    var nfd = text.normalize('NFD');
    var out = [];
    for (var i = 0; i < nfd.length;) {
      var cp = nfd.codePointAt(i);
      var width = cp > 0xffff ? 2 : 1;
      if (numeric && cp >= 0x30 && cp <= 0x39) {
        var end = i;
        while (end < nfd.length && nfd.charCodeAt(end) >= 0x30 && nfd.charCodeAt(end) <= 0x39) end++;
        var digits = nfd.slice(i, end).replace(/^0+(?=\d)/, '');
        out.push([digitPrimary, 0, 0, digits]);
        i = end;
        continue;
      }
      i += width;
      var expansion = expansions.get(cp);
      if (expansion) {
        for (var k = 0; k < expansion.parts.length; k++) {
          var part = weightOf(expansion.parts[k]).slice();
          if (k === 0) part[expansion.level] += expansion.level === 1 ? 500 : 100;
          out.push(part);
        }
        continue;
      }
      var w = weightOf(cp);
      if (w[0] === 0 && w[1] === 0) continue;
      if (ignorePunctuation && w[0] !== 0 && w[0] < digitPrimary) continue;
      out.push(w);
    }
    return out;
  }

  function comparePrimaries(a, b) {
    var i = 0,
      j = 0;
    for (;;) {
      while (i < a.length && a[i][0] === 0) i++;
      while (j < b.length && b[j][0] === 0) j++;
      if (i >= a.length || j >= b.length) return i >= a.length ? (j >= b.length ? 0 : -1) : 1;
      var x = a[i],
        y = b[j];
      if (x[3] !== undefined && y[3] !== undefined) {
        if (x[3].length !== y[3].length) return x[3].length < y[3].length ? -1 : 1;
        if (x[3] !== y[3]) return x[3] < y[3] ? -1 : 1;
      } else if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
      i++;
      j++;
    }
  }
  function compareLevel(a, b, level, primariesOnly) {
    if (primariesOnly) {
      a = a.filter(function (e) {
        return e[0] !== 0;
      });
      b = b.filter(function (e) {
        return e[0] !== 0;
      });
    }
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) if (a[i][level] !== b[i][level]) return a[i][level] < b[i][level] ? -1 : 1;
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }

  var SENSITIVITIES = ['base', 'accent', 'case', 'variant'];
  function option(options, name, allowed, fallback) {
    var value = options[name];
    if (value === undefined) return fallback;
    if (allowed === 'boolean') return Boolean(value);
    value = String(value);
    if (allowed.indexOf(value) < 0) throw new RangeError('Value ' + value + ' out of range for Intl.Collator options property ' + name);
    return value;
  }

  function Collator(locales, options) {
    if (!(this instanceof Collator)) return new Collator(locales, options);
    var requested = intl.getCanonicalLocales(locales);
    var opts = options === undefined ? {} : Object(options);
    var usage = option(opts, 'usage', ['sort', 'search'], 'sort');
    var sensitivity = option(opts, 'sensitivity', SENSITIVITIES, 'variant');
    var numeric = option(opts, 'numeric', 'boolean', false);
    var ignorePunctuation = option(opts, 'ignorePunctuation', 'boolean', false);
    var caseFirst = option(opts, 'caseFirst', ['upper', 'lower', 'false'], 'false');
    var resolved = {
      locale: requested.length ? requested[0].replace(/-u-.*$/, '') : 'en-US',
      usage: usage,
      sensitivity: sensitivity,
      ignorePunctuation: ignorePunctuation,
      collation: 'default',
      numeric: numeric,
      caseFirst: caseFirst,
    };
    var level = SENSITIVITIES.indexOf(sensitivity);
    var compare = function (x, y) {
      var a = elements(String(x), numeric, ignorePunctuation);
      var b = elements(String(y), numeric, ignorePunctuation);
      var order = comparePrimaries(a, b);
      if (order !== 0 || level === 0) return order;
      if (level !== 2) order = compareLevel(a, b, 1);
      if (order !== 0 || level === 1) return order;
      // 'case' tells letters apart by case alone, so accents' elements do not count.
      order = compareLevel(a, b, 2, level === 2);
      return caseFirst === 'upper' ? -order : order;
    };
    defineProperty(this, '__baton', { value: { resolved: resolved, compare: compare } });
  }
  defineProperty(Collator.prototype, 'compare', {
    configurable: true,
    get: function () {
      return this.__baton.compare;
    },
  });
  method(Collator.prototype, 'resolvedOptions', function resolvedOptions() {
    return Object.assign({}, this.__baton.resolved);
  });
  method(Collator, 'supportedLocalesOf', function supportedLocalesOf(locales) {
    return intl.getCanonicalLocales(locales);
  });
  method(intl, 'Collator', Collator);

  var defaultCompare = null;
  method(String.prototype, 'localeCompare', function localeCompare(that, locales, options) {
    if (this === null || this === undefined) throw new TypeError('String.prototype.localeCompare called on null or undefined');
    if (locales === undefined && options === undefined) {
      if (!defaultCompare) defaultCompare = new Collator().compare;
      return defaultCompare(String(this), String(that));
    }
    return new Collator(locales, options).compare(String(this), String(that));
  });
});
