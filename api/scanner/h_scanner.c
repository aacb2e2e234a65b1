/* h_scanner.c — the handheld scanner client: its static files (api/scanner/web, compiled into
 * wmsd by api/db/embed.sh) served under /scanner/ with a strict Content Security Policy (no
 * inline script or style, nothing from another origin), an ETag per file (the SHA-256 of its
 * bytes) so that a device revalidates every file and downloads only what changed, and the
 * headers that keep the pages out of frames and referrers. */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "api/db/embed.h"
#include "api/http/req.h"
#include "api/routes.h"

/* The policy of every file: scripts, styles, the manifest and fetches only from this origin;
 * images also from data: and blob: (the camera preview); no plugins, frames or forms posting
 * elsewhere. */
#define SCANNER_CSP                                                                            \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "   \
	"media-src 'self' blob: mediastream:; connect-src 'self'; manifest-src 'self'; "         \
	"worker-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "              \
	"frame-ancestors 'none'; object-src 'none'"

/* The media type of a file by its name's extension; NULL for one this server does not serve. */
static const char *content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".webmanifest", "application/manifest+json"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

/* The file's strong ETag ("\"<first 32 hex digits of its SHA-256>\""), computed once per file
 * (the files never change while the process runs; the loop is one thread). */
static const char *etag_of(size_t i)
{
	static char tags[64][36];
	static const char hex[] = "0123456789abcdef";
	if (i >= sizeof tags / sizeof tags[0])
		return NULL;
	if (!tags[i][0]) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int n = 0;
		if (!EVP_Digest(embed_web[i].data, embed_web[i].len, md, &n, EVP_sha256(), NULL))
			return NULL;
		tags[i][0] = '"';
		for (int k = 0; k < 16; k++) {
			tags[i][1 + 2 * k] = hex[md[k] >> 4];
			tags[i][2 + 2 * k] = hex[md[k] & 15];
		}
		tags[i][33] = '"';
		tags[i][34] = '\0';
	}
	return tags[i];
}

/* Whether the If-None-Match header names tag (or is "*"). */
static int etag_matches(const char *header, const char *tag)
{
	if (!header || !tag)
		return 0;
	if (strcmp(header, "*") == 0)
		return 1;
	size_t tl = strlen(tag);
	for (const char *p = strstr(header, tag); p; p = strstr(p + 1, tag)) {
		char after = p[tl];
		if (after == '\0' || after == ',' || after == ' ')
			return 1;
	}
	return 0;
}

/* Answers the embedded file name, or 404. */
static void serve(struct api_req *r, const char *name)
{
	size_t i = 0;
	while (i < embed_nweb && strcmp(embed_web[i].name, name) != 0)
		i++;
	const char *type = i < embed_nweb ? content_type(name) : NULL;
	if (!type) {
		api_reply_problem(r, PROBLEM_NOT_FOUND, "the scanner has no file %.64s", name);
		return;
	}
	const char *tag = etag_of(i);
	api_req_add_header(r, "Content-Security-Policy", SCANNER_CSP);
	api_req_add_header(r, "X-Content-Type-Options", "nosniff");
	api_req_add_header(r, "Referrer-Policy", "no-referrer");
	api_req_add_header(r, "X-Frame-Options", "DENY");
	api_req_add_header(r, "Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
	/* revalidated every time (a cheap 304): a new wmsd's client is picked up at the next load */
	api_req_add_header(r, "Cache-Control", "no-cache");
	if (tag)
		api_req_add_header(r, "ETag", tag);
	if (tag && etag_matches(api_req_header(r, "If-None-Match"), tag)) {
		api_reply_raw(r, 304, NULL, NULL, 0);
		return;
	}
	api_reply_raw(r, 200, type, embed_web[i].data, embed_web[i].len);
}

void h_scanner_root(struct api_req *r)
{
	api_req_add_header(r, "Location", "/scanner/");
	api_reply_raw(r, 308, "text/plain; charset=utf-8", "/scanner/\n", 10);
}

void h_scanner_index(struct api_req *r)
{
	serve(r, "index.html");
}

void h_scanner_file(struct api_req *r)
{
	serve(r, api_req_param(r, "file"));
}
