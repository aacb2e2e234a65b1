/* demo_network.c — the demo lane network (examples, not any real carrier's schedules or
 * prices): three Chinese consolidation hubs (Shenzhen, Yiwu, and Hong Kong / Shanghai air
 * hubs), air line-hauls to London, Amsterdam, Liège, Madrid and Incheon, China–Europe rail
 * from Yiwu to Madrid and Małaszewicze, customs clearance as gateway handling time, and a
 * last-mile carrier per destination country; and the Madrid fulfillment centre (ES-MAD-FC) as
 * an origin of buyers' parcels: parcel and post services to Spain, a truck to France and one
 * to the Amsterdam gateway for the Benelux and Poland. Promise: 5 days at 95% from CN-SZX-HUB
 * to GB, ES, NL, BE and KR; 7 days from the other hubs; FR 8 days, PL 12 days; from
 * ES-MAD-FC 2 days to ES at 95%, 3 to FR and 4 to NL and BE at 90%. Costs in USD cents.
 *
 * The document is written with single quotes for readability and loaded through the same
 * SQL as PUT /v1/network (network_replace), so loading it again replaces it: idempotent. */
#include "api/cli/demo_network.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http/jsonv.h"
#include "api/network/network_doc.h"
#include "api/network/network_load.h"

#define DAILY "['mon','tue','wed','thu','fri','sat','sun']"
#define WEEKDAYS "['mon','tue','wed','thu','fri']"
#define MON_SAT "['mon','tue','wed','thu','fri','sat']"
/* quantiles of a transit time in hours: minimum, median, p95, maximum */
#define Q(a, b, c, d)                                                                          \
	"{'quantiles':[{'p':0,'hours':" #a "},{'p':0.5,'hours':" #b "},{'p':0.95,'hours':" #c     \
	"},{'p':1,'hours':" #d "}]}"
#define LEG(id, from, to, carrier, service, days, times, cutoff, transit, fixed, per_kg, kg)   \
	"{'id':'" id "','from':'" from "','to':'" to "','carrier':'" carrier "','service':'"      \
	service "','departures':[" times "],'cutoff_min':" #cutoff ",'transit':" transit           \
	",'cost':{'fixed':" #fixed ",'per_kg':" #per_kg ",'currency':'USD'},'max_weight_g':"       \
	#kg "000,'max_dims_mm':[1200,800,800]" days "}"
#define AT(days, t) "{'days':" days ",'time':'" t "'}"
#define DELIVERS(days) ",'delivery_days':" days
#define NODE(code, kind, cc, tz, conn) \
	"{'code':'" code "','kind':'" kind "','country':'" cc "','time_zone':'" tz \
	"','min_connection_min':" #conn "}"
#define ZONE(code, cc, tz, prefix) \
	"{'code':'" code "','kind':'zone','country':'" cc "','time_zone':'" tz "'" prefix "}"
#define PROMISE(origin, cc, days, bp) \
	"{" origin "'country':'" cc "','days':" #days ",'target_bp':" #bp "}"
#define SZX "'origin':'CN-SZX-HUB',"
#define MADFC "'origin':'ES-MAD-FC',"

static const char demo_doc[] =
	"{'currency':'USD',"
	"'carriers':["
	" {'code':'EXA-AIR','name':'Example Air Cargo (demo)'},"
	" {'code':'EXA-RAIL','name':'Example China-Europe Rail (demo)'},"
	" {'code':'EXA-TRUCK','name':'Example Trucking (demo)'},"
	" {'code':'DEMO-POST','name':'Example Post (demo)'},"
	" {'code':'EXA-UK','name':'Example UK Parcels (demo)'},"
	" {'code':'EXA-BNL','name':'Example Benelux Parcels (demo)'},"
	" {'code':'EXA-IB','name':'Example Iberia Parcels (demo)'},"
	" {'code':'EXA-KR','name':'Example Korea Parcels (demo)'}],"
	"'nodes':["
	" {'code':'CN-SZX-HUB','kind':'warehouse','min_connection_min':60},"
	" {'code':'CN-YIW-HUB','kind':'warehouse','min_connection_min':60},"
	" {'code':'ES-MAD-FC','kind':'warehouse','min_connection_min':60},"
	" " NODE("CN-HKG-AIR", "hub", "HK", "Asia/Hong_Kong", 120) ","
	" " NODE("CN-PVG-AIR", "hub", "CN", "Asia/Shanghai", 120) ","
	" " NODE("GB-LHR-GW", "gateway", "GB", "Europe/London", 360) ","
	" " NODE("NL-AMS-GW", "gateway", "NL", "Europe/Amsterdam", 300) ","
	" " NODE("BE-LGG-GW", "gateway", "BE", "Europe/Brussels", 300) ","
	" " NODE("ES-MAD-GW", "gateway", "ES", "Europe/Madrid", 360) ","
	" " NODE("PL-MSZ-GW", "gateway", "PL", "Europe/Warsaw", 720) ","
	" " NODE("KR-ICN-GW", "gateway", "KR", "Asia/Seoul", 240) ","
	" " ZONE("GB", "GB", "Europe/London", "") ","
	" " ZONE("GB-BT", "GB", "Europe/London", ",'postal_prefix':'BT'") ","
	" " ZONE("NL", "NL", "Europe/Amsterdam", "") ","
	" " ZONE("BE", "BE", "Europe/Brussels", "") ","
	" " ZONE("ES", "ES", "Europe/Madrid", "") ","
	" " ZONE("KR", "KR", "Asia/Seoul", "") ","
	" " ZONE("FR", "FR", "Europe/Paris", "") ","
	" " ZONE("PL", "PL", "Europe/Warsaw", "") "],"
	"'services':["
	" {'carrier':'EXA-AIR','service':'EXPRESS','mode':'air'},"
	" {'carrier':'EXA-AIR','service':'ECONOMY','mode':'air'},"
	" {'carrier':'EXA-RAIL','service':'BLOCK-TRAIN','mode':'rail'},"
	" {'carrier':'EXA-TRUCK','service':'LINEHAUL','mode':'road'},"
	" {'carrier':'DEMO-POST','service':'TRACKED','mode':'last_mile'},"
	" {'carrier':'EXA-UK','service':'NEXT-DAY','mode':'last_mile'},"
	" {'carrier':'EXA-BNL','service':'PARCEL','mode':'last_mile'},"
	" {'carrier':'EXA-IB','service':'PAQUETE','mode':'last_mile'},"
	" {'carrier':'EXA-KR','service':'TAEKBAE','mode':'last_mile'}],"
	"'legs':["
	/* first miles: trucks to the air hubs */
	LEG("SZX-HKG-TRUCK", "CN-SZX-HUB", "CN-HKG-AIR", "EXA-TRUCK", "LINEHAUL", "",
	    AT(DAILY, "10:00") "," AT(DAILY, "16:00") "," AT(DAILY, "22:00"), 30, Q(3, 4, 6, 8),
	    20, 8, 30) ","
	LEG("YIW-PVG-TRUCK", "CN-YIW-HUB", "CN-PVG-AIR", "EXA-TRUCK", "LINEHAUL", "",
	    AT(DAILY, "08:00") "," AT(DAILY, "20:00"), 30, Q(4, 5, 7, 10), 25, 10, 30) ","
	/* air line-hauls */
	LEG("HKG-LHR-EXP", "CN-HKG-AIR", "GB-LHR-GW", "EXA-AIR", "EXPRESS", "",
	    AT(DAILY, "01:30") "," AT(DAILY, "13:30"), 180, Q(13, 16, 26, 40), 60, 480, 30) ","
	LEG("HKG-AMS-EXP", "CN-HKG-AIR", "NL-AMS-GW", "EXA-AIR", "EXPRESS", "",
	    AT(DAILY, "02:00") "," AT(DAILY, "23:10"), 180, Q(13, 16, 24, 40), 60, 430, 30) ","
	LEG("HKG-LGG-ECO", "CN-HKG-AIR", "BE-LGG-GW", "EXA-AIR", "ECONOMY", "",
	    AT("['mon','wed','fri']", "03:00"), 240, Q(15, 20, 36, 60), 40, 310, 30) ","
	LEG("HKG-MAD-EXP", "CN-HKG-AIR", "ES-MAD-GW", "EXA-AIR", "EXPRESS", "",
	    AT(DAILY, "00:45"), 180, Q(15, 18, 28, 44), 60, 470, 30) ","
	LEG("HKG-ICN-EXP", "CN-HKG-AIR", "KR-ICN-GW", "EXA-AIR", "EXPRESS", "",
	    AT(DAILY, "09:00") "," AT(DAILY, "19:00"), 120, Q(3, 4, 8, 14), 40, 260, 30) ","
	LEG("PVG-AMS-EXP", "CN-PVG-AIR", "NL-AMS-GW", "EXA-AIR", "EXPRESS", "",
	    AT(DAILY, "01:00"), 180, Q(12, 15, 24, 40), 60, 420, 30) ","
	LEG("PVG-LHR-ECO", "CN-PVG-AIR", "GB-LHR-GW", "EXA-AIR", "ECONOMY", "",
	    AT("['tue','thu','sat']", "11:00"), 240, Q(14, 18, 34, 60), 40, 330, 30) ","
	LEG("PVG-MAD-EXP", "CN-PVG-AIR", "ES-MAD-GW", "EXA-AIR", "EXPRESS", "",
	    AT("['mon','wed','fri','sun']", "02:00"), 180, Q(14, 17, 26, 42), 60, 450, 30) ","
	LEG("PVG-ICN-EXP", "CN-PVG-AIR", "KR-ICN-GW", "EXA-AIR", "EXPRESS", "",
	    AT(DAILY, "08:30") "," AT(DAILY, "17:30"), 120, Q(2, 3, 6, 12), 40, 240, 30) ","
	/* China–Europe rail: cheap, weeks */
	LEG("YIW-MAD-RAIL", "CN-YIW-HUB", "ES-MAD-GW", "EXA-RAIL", "BLOCK-TRAIN", "",
	    AT("['sat']", "10:00"), 1440, Q(360, 408, 480, 552), 30, 90, 30) ","
	LEG("YIW-MSZ-RAIL", "CN-YIW-HUB", "PL-MSZ-GW", "EXA-RAIL", "BLOCK-TRAIN", "",
	    AT("['tue','fri']", "10:00"), 1440, Q(288, 312, 360, 420), 30, 80, 30) ","
	/* last miles (customs clearance is the gateways' handling time) */
	LEG("LHR-GB-NEXT", "GB-LHR-GW", "GB", "EXA-UK", "NEXT-DAY", DELIVERS(MON_SAT),
	    AT(DAILY, "05:00") "," AT(DAILY, "14:00"), 60, Q(14, 20, 30, 48), 320, 50, 30) ","
	LEG("LHR-GB-POST", "GB-LHR-GW", "GB", "DEMO-POST", "TRACKED", DELIVERS(MON_SAT),
	    AT(MON_SAT, "06:00"), 60, Q(20, 40, 66, 96), 210, 40, 20) ","
	LEG("LHR-BT-POST", "GB-LHR-GW", "GB-BT", "DEMO-POST", "TRACKED", DELIVERS(WEEKDAYS),
	    AT(WEEKDAYS, "06:00"), 60, Q(30, 44, 70, 110), 290, 60, 20) ","
	LEG("AMS-NL-PARCEL", "NL-AMS-GW", "NL", "EXA-BNL", "PARCEL", DELIVERS(MON_SAT),
	    AT(DAILY, "06:00") "," AT(DAILY, "15:00"), 60, Q(12, 18, 28, 48), 230, 40, 30) ","
	LEG("AMS-BE-PARCEL", "NL-AMS-GW", "BE", "EXA-BNL", "PARCEL", DELIVERS(MON_SAT),
	    AT(DAILY, "06:00"), 60, Q(18, 24, 40, 60), 260, 40, 30) ","
	LEG("LGG-BE-POST", "BE-LGG-GW", "BE", "DEMO-POST", "TRACKED", DELIVERS(MON_SAT),
	    AT(MON_SAT, "07:00"), 60, Q(12, 20, 30, 48), 240, 40, 20) ","
	LEG("AMS-FR-TRUCK", "NL-AMS-GW", "FR", "EXA-TRUCK", "LINEHAUL", DELIVERS(MON_SAT),
	    AT(WEEKDAYS, "18:00"), 120, Q(30, 48, 72, 120), 300, 60, 30) ","
	LEG("AMS-PL-TRUCK", "NL-AMS-GW", "PL", "EXA-TRUCK", "LINEHAUL", DELIVERS(WEEKDAYS),
	    AT("['mon','thu']", "18:00"), 120, Q(40, 60, 90, 140), 320, 60, 30) ","
	LEG("MSZ-PL-POST", "PL-MSZ-GW", "PL", "DEMO-POST", "TRACKED", DELIVERS(WEEKDAYS),
	    AT(WEEKDAYS, "08:00"), 60, Q(20, 36, 60, 96), 180, 30, 20) ","
	LEG("MAD-ES-PAQ", "ES-MAD-GW", "ES", "EXA-IB", "PAQUETE", DELIVERS(MON_SAT),
	    AT(DAILY, "05:00") "," AT(DAILY, "13:00"), 60, Q(12, 20, 32, 56), 250, 40, 30) ","
	/* the Madrid fulfillment centre's buyers' parcels */
	LEG("MADFC-ES-PAQ", "ES-MAD-FC", "ES", "EXA-IB", "PAQUETE", DELIVERS(MON_SAT),
	    AT(DAILY, "19:00"), 60, Q(12, 18, 28, 48), 350, 40, 30) ","
	LEG("MADFC-ES-POST", "ES-MAD-FC", "ES", "DEMO-POST", "TRACKED", DELIVERS(MON_SAT),
	    AT(MON_SAT, "18:00"), 60, Q(20, 36, 60, 96), 220, 30, 20) ","
	LEG("MADFC-FR-TRUCK", "ES-MAD-FC", "FR", "EXA-TRUCK", "LINEHAUL", DELIVERS(MON_SAT),
	    AT(WEEKDAYS, "16:00"), 120, Q(24, 36, 56, 90), 380, 50, 30) ","
	LEG("MADFC-AMS-TRUCK", "ES-MAD-FC", "NL-AMS-GW", "EXA-TRUCK", "LINEHAUL", "",
	    AT(WEEKDAYS, "17:00"), 120, Q(24, 30, 40, 56), 150, 20, 30) ","
	LEG("ICN-KR-TAEKBAE", "KR-ICN-GW", "KR", "EXA-KR", "TAEKBAE", DELIVERS(MON_SAT),
	    AT(DAILY, "07:00") "," AT(DAILY, "16:00"), 60, Q(8, 16, 28, 44), 180, 30, 30) "],"
	"'processing':["
	" {'origin':'CN-SZX-HUB','order_cutoff':'14:00','histogram_h':[0,0,1,3,4,2,1]},"
	" {'origin':'CN-YIW-HUB','order_cutoff':'12:00','histogram_h':[0,0,0,2,4,3,1]},"
	" {'origin':'ES-MAD-FC','order_cutoff':'16:00','histogram_h':[0,1,2,1]}],"
	"'promises':["
	" " PROMISE(SZX, "GB", 5, 9500) "," PROMISE(SZX, "ES", 5, 9500) ","
	" " PROMISE(SZX, "NL", 5, 9500) "," PROMISE(SZX, "BE", 5, 9500) ","
	" " PROMISE(SZX, "KR", 5, 9500) ","
	" " PROMISE(MADFC, "ES", 2, 9500) "," PROMISE(MADFC, "FR", 3, 9000) ","
	" " PROMISE(MADFC, "NL", 4, 9000) "," PROMISE(MADFC, "BE", 4, 9000) ","
	" " PROMISE("", "GB", 7, 9000) "," PROMISE("", "ES", 7, 9000) "," PROMISE("", "NL", 7, 9000) ","
	" " PROMISE("", "BE", 7, 9000) "," PROMISE("", "KR", 7, 9000) ","
	" " PROMISE("", "FR", 8, 9000) "," PROMISE("", "PL", 12, 9000) "]}";

static const char demo_warehouses[] =
	"INSERT INTO warehouses (code, name, country, time_zone, kind) VALUES"
	" ('CN-YIW-HUB', 'Yiwu consolidation hub (demo)', 'CN', 'Asia/Shanghai', 'consolidation_hub')"
	" ON CONFLICT (code) DO NOTHING";

char *demo_network_document(void)
{
	char *doc = strdup(demo_doc);
	for (char *c = doc; c && *c; c++)
		if (*c == '\'')
			*c = '"';
	return doc;
}

/* The same checks PUT /v1/network makes; the first problem into err. Returns 0 or -1. */
static int check_or_explain(const char *doc, char *err, size_t errlen)
{
	struct jsonv v = JSONV_INIT;
	cJSON *j = cJSON_Parse(doc);
	if (!j) {
		snprintf(err, errlen, "the demo network is not valid JSON");
		return -1;
	}
	network_check_document(&v, j);
	cJSON_Delete(j);
	if (v.count) {
		const cJSON *e = cJSON_GetArrayItem(v.errors, 0);
		snprintf(err, errlen, "the demo network has %d problems; first: %s: %s", v.count,
		         cJSON_GetObjectItem(e, "field")->valuestring,
		         cJSON_GetObjectItem(e, "message")->valuestring);
	}
	int rc = v.count ? -1 : 0;
	jsonv_free(&v);
	return rc;
}

int demo_network_load(PGconn *conn, char *err, size_t errlen)
{
	int rc = -1;
	char *doc = demo_network_document(), days[2][8];
	PGresult *res = NULL;
	if (!doc) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (check_or_explain(doc, err, errlen) != 0)
		goto done;
	snprintf(days[0], sizeof days[0], "%d", NETWORK_BACK_DAYS);
	snprintf(days[1], sizeof days[1], "%d", NETWORK_AHEAD_DAYS);
	const char *p[] = {doc, days[0], days[1]};
	res = PQexec(conn, demo_warehouses);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(res));
		goto done;
	}
	PQclear(res);
	/* the answer is {"load": …}, or {"errors": […]} when the database found problems */
	res = PQexecParams(conn, "SELECT network_replace($1::jsonb, $2::int, $3::int)::jsonb ? 'load'",
	                   3, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(res));
		goto done;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		snprintf(err, errlen, "the database refused the demo network (network_doc_problems)");
		goto done;
	}
	rc = 0;
done:
	PQclear(res);
	free(doc);
	return rc;
}
