/* The printf engine (see format.h). */
#include "kernel/format.h"
#include <stdint.h>
#include <stdbool.h>

struct spec {
    bool left, zero, space;
    int width, precision;
};

struct out {
    format_out_fn *fn;
    void *aux;
    int count;
};

static void put(struct out *o, char c)
{
    o->fn(c, o->aux);
    o->count++;
}

static void pad(struct out *o, int n, char c)
{
    while (n-- > 0)
        put(o, c);
}

/* Emit the digits of V in BASE with sign NEG under spec S. */
static void put_number(struct out *o, uint64_t v, bool neg, int base, bool upper,
                       const struct spec *s)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0;
    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v);
    char sign = neg ? '-' : (s->space ? ' ' : 0);
    int len = n + (sign ? 1 : 0);
    if (!s->left && !s->zero)
        pad(o, s->width - len, ' ');
    if (sign)
        put(o, sign);
    if (!s->left && s->zero)
        pad(o, s->width - len, '0');
    while (n)
        put(o, buf[--n]);
    if (s->left)
        pad(o, s->width - len, ' ');
}

static void put_string(struct out *o, const char *str, const struct spec *s)
{
    if (!str)
        str = "(null)";
    int len = 0;
    while (str[len] && (s->precision < 0 || len < s->precision))
        len++;
    if (!s->left)
        pad(o, s->width - len, ' ');
    for (int i = 0; i < len; i++)
        put(o, str[i]);
    if (s->left)
        pad(o, s->width - len, ' ');
}

int format(format_out_fn *fn, void *aux, const char *fmt, va_list ap)
{
    struct out o = { fn, aux, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        struct spec s = { false, false, false, 0, -1 };
        for (;; fmt++) {
            if (fmt[1] == '-') s.left = true;
            else if (fmt[1] == '0') s.zero = true;
            else if (fmt[1] == ' ') s.space = true;
            else break;
        }
        fmt++;
        if (*fmt == '*') {
            s.width = va_arg(ap, int);
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                s.width = s.width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            s.precision = 0;
            if (*fmt == '*') {
                s.precision = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    s.precision = s.precision * 10 + (*fmt++ - '0');
            }
        }
        int longs = 0;
        while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
            if (*fmt != 'h')
                longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_number(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, &s);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            int base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
            put_number(&o, v, false, base, *fmt == 'X', &s);
            break;
        }
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            put_number(&o, (uint64_t)va_arg(ap, void *), false, 16, false, &s);
            break;
        case 's':
            put_string(&o, va_arg(ap, const char *), &s);
            break;
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            return o.count;
        default:
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }
    return o.count;
}
