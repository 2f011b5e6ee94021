/* Ticket keys and their rotation (tickets.h). */
#include "conn/tickets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "log.h"

#define TICKETS_NAME_BYTES 16

typedef struct {
    unsigned char name[TICKETS_NAME_BYTES];
    unsigned char aes[32];
    unsigned char hmac[32];
    long long born_ms; /* 0: no key */
} tickets_key;

typedef struct {
    tickets_key cur, prev;
    long long rotate_ms;
} tickets;

static int tickets_index = -1;

static long long tickets_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void tickets_forget(tickets_key *k)
{
    OPENSSL_cleanse(k, sizeof(*k));
}

static int tickets_new_key(tickets_key *k, long long now)
{
    if (RAND_priv_bytes(k->name, sizeof(k->name)) != 1 || RAND_priv_bytes(k->aes, sizeof(k->aes)) != 1 ||
        RAND_priv_bytes(k->hmac, sizeof(k->hmac)) != 1) {
        tickets_forget(k);
        return -1;
    }
    k->born_ms = now > 0 ? now : 1;
    return 0;
}

/* The current key serves rotate_ms, then reads its tickets for another
 * rotate_ms as the previous one, then is forgotten. */
static void tickets_rotate(tickets *t, long long now)
{
    if (t->prev.born_ms && now - t->prev.born_ms >= 2 * t->rotate_ms)
        tickets_forget(&t->prev);
    if (t->cur.born_ms && now - t->cur.born_ms < t->rotate_ms)
        return;
    tickets_key fresh;
    if (tickets_new_key(&fresh, now) != 0) {
        log_error("TLS ticket key rotation failed (no random bytes); tickets stop until it works");
        tickets_forget(&t->cur);
        return;
    }
    t->prev = t->cur;
    t->cur = fresh;
    OPENSSL_cleanse(&fresh, sizeof(fresh));
}

static int tickets_init_ctx(const tickets_key *k, const unsigned char *iv, EVP_CIPHER_CTX *cctx,
                            EVP_MAC_CTX *hctx, int enc)
{
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_end(),
    };

    if (EVP_CipherInit_ex(cctx, EVP_aes_256_cbc(), NULL, k->aes, iv, enc) != 1)
        return -1;
    return EVP_MAC_init(hctx, k->hmac, sizeof(k->hmac), params) == 1 ? 0 : -1;
}

/* OpenSSL's ticket callback: 1 use this key, 2 use it and issue a fresh
 * ticket, 0 no ticket / full handshake, -1 fail. A resumed connection
 * always gets a fresh ticket: TLS 1.3 clients use a ticket once (RFC 8446
 * C.4; OpenSSL's client marks it spent), so without one the next connection
 * would make a full handshake. */
static int tickets_cb(SSL *ssl, unsigned char *name, unsigned char *iv, EVP_CIPHER_CTX *cctx,
                      EVP_MAC_CTX *hctx, int enc)
{
    tickets *t = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), tickets_index);
    const tickets_key *k = NULL;

    if (!t)
        return 0;
    tickets_rotate(t, tickets_now_ms());
    if (enc) {
        if (!t->cur.born_ms || RAND_bytes(iv, EVP_CIPHER_iv_length(EVP_aes_256_cbc())) != 1)
            return 0;
        memcpy(name, t->cur.name, TICKETS_NAME_BYTES);
        return tickets_init_ctx(&t->cur, iv, cctx, hctx, 1) == 0 ? 1 : -1;
    }
    if (t->cur.born_ms && CRYPTO_memcmp(name, t->cur.name, TICKETS_NAME_BYTES) == 0)
        k = &t->cur;
    else if (t->prev.born_ms && CRYPTO_memcmp(name, t->prev.name, TICKETS_NAME_BYTES) == 0)
        k = &t->prev;
    if (!k)
        return 0;
    return tickets_init_ctx(k, iv, cctx, hctx, 0) == 0 ? 2 : -1;
}

static void tickets_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    (void)parent;
    (void)ad;
    (void)idx;
    (void)argl;
    (void)argp;
    if (ptr) {
        OPENSSL_cleanse(ptr, sizeof(tickets));
        free(ptr);
    }
}

int tickets_attach(SSL_CTX *ctx, unsigned long rotate_ms, char *err, size_t errlen)
{
    tickets *t;

    if (rotate_ms == 0) {
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
        SSL_CTX_set_num_tickets(ctx, 0);
        return 0;
    }
    if (tickets_index < 0 &&
        (tickets_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, tickets_free)) < 0) {
        snprintf(err, errlen, "cannot set up TLS session tickets");
        return -1;
    }
    if (!(t = calloc(1, sizeof(*t)))) {
        snprintf(err, errlen, "out of memory setting up TLS session tickets");
        return -1;
    }
    t->rotate_ms = (long long)rotate_ms;
    if (SSL_CTX_set_ex_data(ctx, tickets_index, t) != 1) {
        free(t);
        snprintf(err, errlen, "cannot set up TLS session tickets");
        return -1;
    }
    tickets_rotate(t, tickets_now_ms());
    if (!t->cur.born_ms) {
        snprintf(err, errlen, "cannot make a TLS ticket key (no random bytes)");
        return -1;
    }
    /* One ticket per handshake: a client keeps one session (client/net). */
    SSL_CTX_set_num_tickets(ctx, 1);
    SSL_CTX_set_timeout(ctx, (long)(rotate_ms / 1000 ? rotate_ms / 1000 : 1));
    SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, tickets_cb);
    return 0;
}
