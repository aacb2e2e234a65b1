/* gen_network.c — writes a generated lane network as a PUT /v1/network document, for the
 * HTTP quote benchmark (tests/bench/run.sh): 4 origin warehouses, 6 Chinese hubs, 12
 * gateways in 10 destination countries, 40 zones (each country whole plus 3 postal
 * prefixes) — 62 nodes — and 822 legs with 10,644 departures a week: two truck services
 * origin → hub, shuttles between origins and between hubs, four air services hub →
 * gateway, two direct couriers origin → gateway, road between gateways, three last-mile
 * carriers per gateway and zone of its country (36 departures a week each), two into a
 * neighbour's zones. Fixed seed: the same document every run.
 *
 * Usage: gen_network WH1 WH2 WH3 WH4 > network.json   (the origin warehouses must exist) */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

static uint64_t seed = 0x9E3779B97F4A7C15ULL;

static int rnd(int n)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return (int)((seed * 2685821657736338717ULL) >> 33) % n;
}

struct country {
	const char *cc, *tz, *prefixes[3];
	int neighbour; /* index of a country its gateways also deliver to */
	int promise_days;
};

static const struct country countries[] = {
	{"GB", "Europe/London", {"BT", "E", "M"}, 3, 5},  {"ES", "Europe/Madrid", {"08", "28", "41"}, 5, 5},
	{"NL", "Europe/Amsterdam", {"10", "30", "35"}, 3, 5}, {"BE", "Europe/Brussels", {"1", "2", "9"}, 2, 5},
	{"KR", "Asia/Seoul", {"0", "4", "6"}, 4, 5},      {"FR", "Europe/Paris", {"75", "13", "69"}, 1, 8},
	{"DE", "Europe/Berlin", {"10", "80", "50"}, 7, 8}, {"PL", "Europe/Warsaw", {"00", "30", "80"}, 6, 9},
	{"IT", "Europe/Rome", {"00", "20", "80"}, 5, 8},  {"SE", "Europe/Stockholm", {"1", "4", "9"}, 6, 9},
};
#define NC (int)(sizeof countries / sizeof countries[0])
/* gateways: one per country, a second one in DE and ES */
static const int gw_country[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 6, 1};
#define NG (int)(sizeof gw_country / sizeof gw_country[0])
#define NH 6
#define NO 4
static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static int first = 1;

static void sep(void)
{
	if (!first)
		putchar(',');
	first = 0;
}

/* departures: per_day times a day on the days in mask (bit 0 = Monday) */
static void departures(unsigned mask, int per_day)
{
	printf("\"departures\":[");
	for (int k = 0; k < per_day; k++) {
		int minute = (k * 1440 / per_day + rnd(120)) % 1440;
		printf("%s{\"days\":[", k ? "," : "");
		int f = 1;
		for (int d = 0; d < 7; d++)
			if (mask & (1u << d)) {
				printf("%s\"%s\"", f ? "" : ",", day_names[d]);
				f = 0;
			}
		printf("],\"time\":\"%02d:%02d\"}", minute / 60, minute % 60);
	}
	printf("],");
}

static void leg(const char *id, const char *from, const char *to, const char *carrier,
                const char *service, unsigned mask, int per_day, int h_min, int h_med, int fixed,
                int per_kg, int delivery)
{
	sep();
	printf("{\"id\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"carrier\":\"%s\",\"service\":\"%s\",",
	       id, from, to, carrier, service);
	departures(mask, per_day);
	int p95 = h_med + (h_med - h_min) * 2 + 2, max = p95 + h_med / 2 + 4;
	printf("\"cutoff_min\":%d,\"transit\":{\"quantiles\":[{\"p\":0,\"hours\":%d},"
	       "{\"p\":0.5,\"hours\":%d},{\"p\":0.95,\"hours\":%d},{\"p\":1,\"hours\":%d}]},",
	       30 + 30 * rnd(4), h_min, h_med, p95, max);
	if (delivery)
		printf("\"delivery_days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\"],");
	printf("\"cost\":{\"fixed\":%d,\"per_kg\":%d,\"currency\":\"USD\"},\"max_weight_g\":30000,"
	       "\"max_dims_mm\":[1200,800,800]}",
	       fixed, per_kg);
}

/* A last-mile leg: six departures a day on weekdays, three at weekends (36 a week). */
static void leg_days(const char *id, const char *from, const char *to, const char *carrier,
                     int h_min, int h_med, int fixed, int per_kg)
{
	sep();
	printf("{\"id\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"carrier\":\"%s\","
	       "\"service\":\"PARCEL\",\"departures\":[", id, from, to, carrier);
	for (int k = 0; k < 9; k++) {
		int minute = (k < 6 ? k * 160 : (k - 6) * 300) + 300 + rnd(30);
		printf("%s{\"days\":%s,\"time\":\"%02d:%02d\"}", k ? "," : "",
		       k < 6 ? "[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"]" : "[\"sat\",\"sun\"]",
		       minute / 60 % 24, minute % 60);
	}
	int p95 = h_med + (h_med - h_min) * 2 + 2, max = p95 + h_med / 2 + 4;
	printf("],\"cutoff_min\":60,\"transit\":{\"quantiles\":[{\"p\":0,\"hours\":%d},"
	       "{\"p\":0.5,\"hours\":%d},{\"p\":0.95,\"hours\":%d},{\"p\":1,\"hours\":%d}]},"
	       "\"delivery_days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\"],"
	       "\"cost\":{\"fixed\":%d,\"per_kg\":%d,\"currency\":\"USD\"},\"max_weight_g\":30000,"
	       "\"max_dims_mm\":[1200,800,800]}", h_min, h_med, p95, max, fixed, per_kg);
}

int main(int argc, char **argv)
{
	char id[64], a[32], b[32];
	if (argc != 1 + NO) {
		fprintf(stderr, "usage: gen_network WH1 WH2 WH3 WH4 > network.json\n");
		return 2;
	}
	const char *const *origins = (const char *const *)argv + 1;
	printf("{\"currency\":\"USD\",\"carriers\":[");
	const char *carriers[] = {"G-AIR1", "G-AIR2", "G-AIR3", "G-TRUCK", "G-LM1", "G-LM2", "G-LM3",
	                          "G-LM4", "G-LM5"};
	for (size_t i = 0; i < sizeof carriers / sizeof carriers[0]; i++)
		printf("%s{\"code\":\"%s\",\"name\":\"Generated %s\"}", i ? "," : "", carriers[i],
		       carriers[i]);
	printf("],\"services\":[{\"carrier\":\"G-AIR1\",\"service\":\"EXP\",\"mode\":\"air\"},"
	       "{\"carrier\":\"G-AIR2\",\"service\":\"STD\",\"mode\":\"air\"},"
	       "{\"carrier\":\"G-AIR3\",\"service\":\"ECO\",\"mode\":\"air\"},"
	       "{\"carrier\":\"G-AIR2\",\"service\":\"NIGHT\",\"mode\":\"air\"},"
	       "{\"carrier\":\"G-AIR2\",\"service\":\"PRIORITY\",\"mode\":\"air\"},"
	       "{\"carrier\":\"G-AIR1\",\"service\":\"COURIER\",\"mode\":\"air\"},"
	       "{\"carrier\":\"G-TRUCK\",\"service\":\"ROAD\",\"mode\":\"road\"},"
	       "{\"carrier\":\"G-TRUCK\",\"service\":\"NIGHT\",\"mode\":\"road\"}");
	for (int c = 1; c <= 5; c++)
		printf(",{\"carrier\":\"G-LM%d\",\"service\":\"PARCEL\",\"mode\":\"last_mile\"}", c);
	printf("],\"nodes\":[");
	first = 1;
	for (int o = 0; o < NO; o++) {
		sep();
		printf("{\"code\":\"%s\",\"kind\":\"warehouse\",\"min_connection_min\":60}", origins[o]);
	}
	for (int h = 0; h < NH; h++) {
		sep();
		printf("{\"code\":\"HUB-%d\",\"kind\":\"hub\",\"country\":\"CN\",\"time_zone\":\"Asia/Shanghai\","
		       "\"min_connection_min\":90}", h);
	}
	for (int g = 0; g < NG; g++) {
		const struct country *c = &countries[gw_country[g]];
		sep();
		printf("{\"code\":\"GW-%d\",\"kind\":\"gateway\",\"country\":\"%s\",\"time_zone\":\"%s\","
		       "\"min_connection_min\":%d}", g, c->cc, c->tz, 180 + 60 * rnd(4));
	}
	for (int k = 0; k < NC; k++) {
		const struct country *c = &countries[k];
		sep();
		printf("{\"code\":\"Z-%s\",\"kind\":\"zone\",\"country\":\"%s\",\"time_zone\":\"%s\"}", c->cc,
		       c->cc, c->tz);
		for (int p = 0; p < 3; p++) {
			sep();
			printf("{\"code\":\"Z-%s-%s\",\"kind\":\"zone\",\"country\":\"%s\",\"time_zone\":\"%s\","
			       "\"postal_prefix\":\"%s\"}", c->cc, c->prefixes[p], c->cc, c->tz, c->prefixes[p]);
		}
	}
	printf("],\"legs\":[");
	first = 1;
	for (int o = 0; o < NO; o++)
		for (int h = 0; h < NH; h++) {
			snprintf(id, sizeof id, "O%d-H%d-ROAD", o, h);
			leg(id, origins[o], (snprintf(a, sizeof a, "HUB-%d", h), a), "G-TRUCK", "ROAD", 0x7f, 3,
			    3 + rnd(4), 6 + rnd(6), 20 + rnd(20), 5 + rnd(10), 0);
			snprintf(id, sizeof id, "O%d-H%d-NIGHT", o, h);
			leg(id, origins[o], a, "G-TRUCK", "NIGHT", 0x3f, 1, 6, 10, 10 + rnd(10), 4, 0);
		}
	static const struct {
		const char *carrier, *service;
		unsigned mask;
		int per_day, h_min, h_med, per_kg;
	} air[] = {{"G-AIR1", "EXP", 0x7f, 2, 12, 16, 450}, {"G-AIR2", "STD", 0x7f, 1, 14, 20, 380},
	           {"G-AIR3", "ECO", 0x15, 1, 16, 26, 300}, {"G-AIR2", "NIGHT", 0x1f, 1, 13, 18, 400}};
	for (int h = 0; h < NH; h++)
		for (int g = 0; g < NG; g++)
			for (int s = 0; s < 4; s++) {
				snprintf(id, sizeof id, "H%d-G%d-%s", h, g, air[s].service);
				snprintf(a, sizeof a, "HUB-%d", h);
				snprintf(b, sizeof b, "GW-%d", g);
				leg(id, a, b, air[s].carrier, air[s].service, air[s].mask, air[s].per_day,
				    air[s].h_min + rnd(3), air[s].h_med + rnd(4), 40 + rnd(40),
				    air[s].per_kg + rnd(60), 0);
			}
	for (int o = 0; o < NO; o++)
		for (int g = 0; g < NG; g++) {
			snprintf(id, sizeof id, "O%d-G%d-COURIER", o, g);
			snprintf(b, sizeof b, "GW-%d", g);
			leg(id, origins[o], b, "G-AIR1", "COURIER", 0x7f, 1, 20, 28, 900 + rnd(300),
			    700 + rnd(100), 0);
			snprintf(id, sizeof id, "O%d-G%d-PRIORITY", o, g);
			leg(id, origins[o], b, "G-AIR2", "PRIORITY", 0x1f, 1, 18, 24, 1100 + rnd(300),
			    800 + rnd(100), 0);
		}
	for (int o = 0; o < NO; o++)
		for (int k = 0; k < NO; k++)
			if (o != k) {
				snprintf(id, sizeof id, "O%d-O%d-SHUTTLE", o, k);
				leg(id, origins[o], origins[k], "G-TRUCK", "ROAD", 0x7f, 1, 10, 16, 25, 5, 0);
			}
	for (int h = 0; h < NH; h++)
		for (int k = 0; k < NH; k++)
			if (h != k) {
				snprintf(id, sizeof id, "H%d-H%d-ROAD", h, k);
				snprintf(a, sizeof a, "HUB-%d", h);
				snprintf(b, sizeof b, "HUB-%d", k);
				leg(id, a, b, "G-TRUCK", "ROAD", 0x7f, 2, 8, 14, 30, 10, 0);
			}
	for (int g = 0; g < NG; g++)
		for (int k = 0; k < NG; k++)
			if (g != k) {
				snprintf(id, sizeof id, "G%d-G%d-ROAD", g, k);
				snprintf(a, sizeof a, "GW-%d", g);
				snprintf(b, sizeof b, "GW-%d", k);
				leg(id, a, b, "G-TRUCK", "ROAD", 0x7f, 1, 18, 30, 60 + rnd(40), 20, 0);
			}
	for (int g = 0; g < NG; g++) {
		const struct country *own = &countries[gw_country[g]];
		const struct country *nb = &countries[own->neighbour];
		snprintf(a, sizeof a, "GW-%d", g);
		for (int z = 0; z < 4; z++) {
			if (z == 0)
				snprintf(b, sizeof b, "Z-%s", own->cc);
			else
				snprintf(b, sizeof b, "Z-%s-%s", own->cc, own->prefixes[z - 1]);
			for (int c = 1; c <= 3; c++) {
				char carrier[16];
				snprintf(carrier, sizeof carrier, "G-LM%d", c);
				snprintf(id, sizeof id, "G%d-%s-LM%d", g, b, c);
				leg_days(id, a, b, carrier, 8 + 2 * c, 16 + 4 * c, 150 + rnd(150) - 20 * c,
				         30 + rnd(30));
			}
			if (z < 3) {
				if (z == 0)
					snprintf(b, sizeof b, "Z-%s", nb->cc);
				else
					snprintf(b, sizeof b, "Z-%s-%s", nb->cc, nb->prefixes[z - 1]);
				for (int c = 1; c <= 2; c++) {
					snprintf(id, sizeof id, "G%d-%s-X%d", g, b, c);
					leg(id, a, b, c == 1 ? "G-LM1" : "G-LM2", "PARCEL", 0x1f, 2, 30, 44,
					    260 + rnd(100), 40, 1);
				}
			}
		}
	}
	printf("],\"promises\":[");
	first = 1;
	for (int k = 0; k < NC; k++) {
		sep();
		printf("{\"country\":\"%s\",\"days\":%d,\"target_bp\":%d}", countries[k].cc,
		       countries[k].promise_days, countries[k].promise_days == 5 ? 9500 : 9000);
	}
	printf("]}\n");
	return 0;
}
