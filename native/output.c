/* Output exactly as Node writes it: JSON.stringify's strings, toISOString, toLocaleString of counts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "arche.h"

/* JSON.stringify of a string (well-formed: lone surrogates as \udXXX), written as UTF-8. */
void json_string(Buf *b, const uint16_t *p, size_t n) {
  buf_push(b, '"');
  for (size_t i = 0; i < n;) {
    size_t len;
    uint32_t cp = u16_cp_at(p, n, i, &len);
    i += len;
    switch (cp) {
    case '"': buf_str(b, "\\\""); continue;
    case '\\': buf_str(b, "\\\\"); continue;
    case '\b': buf_str(b, "\\b"); continue;
    case '\f': buf_str(b, "\\f"); continue;
    case '\n': buf_str(b, "\\n"); continue;
    case '\r': buf_str(b, "\\r"); continue;
    case '\t': buf_str(b, "\\t"); continue;
    default: break;
    }
    /* DEL and C1 escaped too (JSON allows them raw; a terminal reading the output must not act on them): as jsonText() */
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff)) {
      buf_printf(b, "\\u%04x", (unsigned)cp);
    } else {
      uint16_t unit[2];
      size_t k = 0;
      if (cp >= 0x10000) {
        unit[k++] = (uint16_t)(0xd800 + ((cp - 0x10000) >> 10));
        unit[k++] = (uint16_t)(0xdc00 + ((cp - 0x10000) & 0x3ff));
      } else {
        unit[k++] = (uint16_t)cp;
      }
      buf_utf16(b, unit, k);
    }
  }
  buf_push(b, '"');
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t yy = (int64_t)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

int iso_date(double ms, char out[32]) {
  char tmp[96];
  if (!isfinite(ms) || fabs(ms) > 8.64e15) return 0;
  int64_t t = (int64_t)trunc(ms); /* TimeClip */
  int64_t days = t / 86400000 - (t % 86400000 < 0);
  int64_t rem = t - days * 86400000;
  int64_t y;
  unsigned mo, d;
  civil_from_days(days, &y, &mo, &d);
  unsigned h = (unsigned)(rem / 3600000), mi = (unsigned)(rem / 60000 % 60), s = (unsigned)(rem / 1000 % 60), milli = (unsigned)(rem % 1000);
  if (y >= 0 && y <= 9999)
    snprintf(tmp, sizeof tmp, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", (long long)y, mo, d, h, mi, s, milli);
  else
    snprintf(tmp, sizeof tmp, "%c%06lld-%02u-%02uT%02u:%02u:%02u.%03uZ", y < 0 ? '-' : '+', (long long)(y < 0 ? -y : y), mo, d, h, mi, s, milli);
  if (strlen(tmp) >= 32) return 0;
  memcpy(out, tmp, strlen(tmp) + 1);
  return 1;
}

/* fr-FR groups thousands with U+202F NARROW NO-BREAK SPACE, en-GB with a comma (checked against V8 by the tests). */
void locale_number(Buf *b, int64_t v, int french) {
  char digits[32];
  int n = snprintf(digits, sizeof digits, "%lld", (long long)v);
  for (int i = 0; i < n; i++) {
    if (i > 0 && (n - i) % 3 == 0) buf_str(b, french ? "\xe2\x80\xaf" : ",");
    buf_push(b, digits[i]);
  }
}
