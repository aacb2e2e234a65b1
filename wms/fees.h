/* fees.h — the fee engine: versioned fee schedules and per-mode policies as data, fee
 * lines for warehouse events, and sale settlement with advance recovery.
 *
 * Pure C, no I/O, no allocation, no global state. Schedules and policies are plain
 * structs that map one-to-one onto table rows (the category rates onto a child
 * table); the caller loads them and owns every pointer it passes in. Results go to
 * caller-provided arrays of struct fee_line, each of which maps onto one seller
 * ledger row.
 *
 * Sign convention. gross, waived and net of a fee line are never negative, and
 * net = gross − waived. The direction field says which way the money moves:
 * FEE_DEBIT lines (commission, payment fee, pickup, operation, storage, return
 * handling, advance recovery) are amounts the seller owes the platform; FEE_CREDIT
 * lines (advance, sale proceeds, supply payment) are amounts the platform owes the
 * seller. fee_line_seller_delta() gives the signed effect on the seller's balance
 * (+net for a credit, −net for a debit).
 *
 * Rounding. One rule, from money.h: half to even on the final minor unit, once per
 * line. A line whose price is not a whole number of minor units (a percentage, a
 * per-kg or per-m³ rate) forms the exact product in 128 bits and rounds it once.
 * A reduced line (commission under semi_jit) rounds its gross, then rounds
 * net = gross × multiplier once more — exactly what its reason shows the seller.
 *
 * Overflow. Every product and sum is checked; an amount that leaves int64 is an
 * error (FEE_EOVERFLOW), never a wrapped number.
 *
 * Mode rules (DESIGN.md §1, issue 4) are data in struct fee_policy;
 * fee_policy_defaults() fills the documented defaults. What is structural, and so in
 * code, is which fees can arise at all in a mode: `pop` has no platform stock (no
 * inbound/outbound operation, storage or advance lines); `semi_jit` has no storage;
 * `full` has no commission and no payment fee for the seller (the platform is the
 * retailer and pays the supply price).
 */
#ifndef WMS_FEES_H
#define WMS_FEES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wms/money.h"

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* valid_to of a version that is open-ended. */
#define FEE_TIME_OPEN INT64_MAX

#define FEE_CATEGORY_MAX 64  /* category code with NUL */
#define FEE_SKU_MAX 64       /* SKU code with NUL */
#define FEE_REASON_MAX 320   /* a reason with NUL */
#define FEE_ERR_MAX 160

/* The four fulfillment modes (DESIGN.md §1). */
enum fee_mode {
	FEE_MODE_POP,
	FEE_MODE_SEMI_JIT,
	FEE_MODE_SEMI_WAREHOUSE,
	FEE_MODE_FULL,
	FEE_MODE_COUNT
};

/* Ledger line types; fee_type_name() gives the stored text. */
enum fee_type {
	FEE_COMMISSION,          /* "commission" */
	FEE_PAYMENT,             /* "payment_fee" */
	FEE_PICKUP,              /* "pickup_fee" */
	FEE_INBOUND_OPERATION,   /* "inbound_operation" */
	FEE_OUTBOUND_OPERATION,  /* "outbound_operation" */
	FEE_STORAGE_RENT,        /* "storage_rent" */
	FEE_RETURN_HANDLING,     /* "return_handling" */
	FEE_ADVANCE,             /* "advance" (credit) */
	FEE_ADVANCE_RECOVERY,    /* "advance_recovery" */
	FEE_SALE_PROCEEDS,       /* "sale_proceeds" (credit) */
	FEE_SUPPLY_PAYMENT,      /* "supply_payment" (credit, mode full) */
	FEE_TYPE_COUNT
};

/* A set of fee types, as in fee_policy.waived: bit FEE_BIT(t) set means t is in it. */
#define FEE_BIT(t) (UINT32_C(1) << (t))

/* Which way a line moves money (see the sign convention above). */
enum fee_direction {
	FEE_DEBIT,   /* "debit": the seller owes the platform net */
	FEE_CREDIT   /* "credit": the platform owes the seller net */
};

/* How a line's gross became its net. */
enum fee_treatment {
	FEE_CHARGED,         /* "charged": net = gross */
	FEE_WAIVED,          /* "waived": net = 0 by the policy (a waiver or an exemption) */
	FEE_REDUCED,         /* "reduced": 0 < waived < gross by a policy multiplier */
	FEE_PLATFORM_BORNE,  /* "platform_borne": net = 0, the platform pays (mode full) */
	FEE_FREE_PERIOD      /* "free_period": storage in its free days, net < gross */
};

/* Commission rate of one category, in basis points of the sale. */
struct fee_category_rate {
	char category[FEE_CATEGORY_MAX];
	int32_t bp;
};

/*
 * One version of the fee schedule (a table row). All prices are minor units of
 * currency. Valid on [valid_from, valid_to) in epoch seconds; valid_to may be
 * FEE_TIME_OPEN. categories points at n_categories rates owned by the caller.
 */
struct fee_schedule {
	int64_t id;                    /* version id, recorded on each line */
	int32_t version;               /* version number, shown to people */
	int64_t valid_from;
	int64_t valid_to;
	char currency[MONEY_CODE_LEN];
	int32_t currency_exponent;     /* minor-unit digits, for reasons (USD 2, KRW 0) */
	const struct fee_category_rate *categories;
	size_t n_categories;
	int32_t commission_default_bp; /* rate of a category not in categories */
	int32_t payment_fee_bp;        /* of the sale amount */
	int64_t pickup_fixed;          /* per pickup */
	int64_t pickup_per_kg;         /* see fee_compute, FEE_EVENT_PICKUP */
	int64_t inbound_op_per_unit;
	int64_t outbound_op_per_unit;
	int64_t storage_per_m3_day;    /* see fee_compute, FEE_EVENT_STORAGE_DAY */
	int64_t return_handling_per_unit;
};

/*
 * One version of a mode's policy (a table row). Valid on [valid_from, valid_to).
 *  commission_multiplier_bp  share of the category rate charged: pop 10000,
 *                            semi_jit 5000, semi_warehouse 0; unused for full.
 *  waived                    FEE_BIT set of fee types the seller is spared
 *                            (lines still written with net 0).
 *  platform_borne            FEE_BIT set of fee types the platform bears
 *                            (mode full; lines with net 0).
 *  storage_free_days         storage is free while days_in_stock < this;
 *                            -1 = always free, 0 = never free.
 *  advance_rate_bp           share of declared value × good units advanced at
 *                            inbound close (semi_warehouse 6000), 0 = none.
 *  advance_requires_popular  advance only for SKUs flagged popular.
 *  recovery_share_bp         share of each sale's net proceeds withheld to
 *                            recover outstanding advances (10000 = all of it).
 */
struct fee_policy {
	int64_t id;
	int32_t version;
	int64_t valid_from;
	int64_t valid_to;
	enum fee_mode mode;
	int32_t commission_multiplier_bp;
	uint32_t waived;
	uint32_t platform_borne;
	int32_t storage_free_days;
	int32_t advance_rate_bp;
	bool advance_requires_popular;
	int32_t recovery_share_bp;
};

/*
 * One ledger line. Amounts in minor units of currency, all >= 0, net = gross − waived.
 * sku is "" when the line is not about one SKU. reason is a sentence for the seller.
 */
struct fee_line {
	enum fee_type type;
	enum fee_direction direction;
	enum fee_treatment treatment;
	int64_t gross;
	int64_t waived;                /* waived, reduced or platform-borne part */
	int64_t net;
	char currency[MONEY_CODE_LEN];
	int64_t policy_id;
	int32_t policy_version;
	int64_t schedule_id;
	int32_t schedule_version;
	char sku[FEE_SKU_MAX];
	char reason[FEE_REASON_MAX];
};

/* Error codes; fee functions return 0 or -1 and fill a struct fee_error. */
enum fee_status {
	FEE_OK = 0,
	FEE_EINVAL,      /* bad argument: negative quantity, rate out of range, wrong mode */
	FEE_EOVERFLOW,   /* an amount left the int64 range */
	FEE_ENOSPACE,    /* the output array is too small */
	FEE_ENOVERSION,  /* no version is in force at the time */
	FEE_EAMBIGUOUS,  /* more than one version is in force at the time */
	FEE_ECURRENCY    /* amounts in a currency other than the schedule's */
};

struct fee_error {
	enum fee_status code;
	char msg[FEE_ERR_MAX];
};

/* Fills err (when not NULL) with code and the printf-style message, and returns -1, so that
 * a function that prices can `return fee_fail(err, FEE_EINVAL, "…", …);`. */
int fee_fail(struct fee_error *err, enum fee_status code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Names as stored and shown: "pop", "semi_jit", "semi_warehouse", "full";
 * fee types as listed at enum fee_type; "debit"/"credit"; treatments as listed.
 * Out-of-range values give "?". */
const char *fee_mode_name(enum fee_mode mode);
const char *fee_type_name(enum fee_type type);
const char *fee_direction_name(enum fee_direction dir);
const char *fee_treatment_name(enum fee_treatment tr);

/* Parse the names above. Return 0, or -1 if s is not one of them. */
int fee_mode_parse(const char *s, enum fee_mode *out) WMS_MUST_CHECK;
int fee_type_parse(const char *s, enum fee_type *out) WMS_MUST_CHECK;

/* The signed effect of a line on the seller's balance: +net for a credit, −net for
 * a debit. */
int64_t fee_line_seller_delta(const struct fee_line *line);

/* Fills *out with the documented default policy of mode (id 0, version 1, valid
 * from 0, open): the mode rules table of issue 4. Returns -1 for a bad mode. */
int fee_policy_defaults(enum fee_mode mode, struct fee_policy *out) WMS_MUST_CHECK;

/* Checks a schedule / policy for values the engine cannot apply (bad currency,
 * negative prices, rates outside 0..10000 bp, valid_from >= valid_to, …).
 * Returns 0, or -1 with err filled. */
int fee_schedule_validate(const struct fee_schedule *s, struct fee_error *err) WMS_MUST_CHECK;
int fee_policy_validate(const struct fee_policy *p, struct fee_error *err) WMS_MUST_CHECK;

/* The commission rate (bp) of category in s: its row, or the default. */
int32_t fee_commission_bp(const struct fee_schedule *s, const char *category);

/*
 * Version selection: the one version with valid_from <= t < valid_to (FEE_TIME_OPEN
 * never ends), so an event exactly at a new version's valid_from uses the new
 * version and one second earlier uses the old one. fee_policy_select considers only
 * versions of mode. Sets *out to the element of versions and returns 0; returns -1
 * with FEE_ENOVERSION when none is in force, FEE_EAMBIGUOUS when two are.
 */
int fee_schedule_select(const struct fee_schedule *versions, size_t n, int64_t t,
                        const struct fee_schedule **out, struct fee_error *err) WMS_MUST_CHECK;
int fee_policy_select(const struct fee_policy *versions, size_t n, enum fee_mode mode,
                      int64_t t, const struct fee_policy **out,
                      struct fee_error *err) WMS_MUST_CHECK;

/* ---- events --------------------------------------------------------------- */

enum fee_event_kind {
	FEE_EVENT_INBOUND_CLOSE,
	FEE_EVENT_PICKUP,
	FEE_EVENT_STORAGE_DAY,
	FEE_EVENT_OUTBOUND,
	FEE_EVENT_RETURN
};

/* One SKU of a closed inbound shipment. declared_value is per unit. */
struct fee_inbound_item {
	const char *sku;
	int64_t good_units;
	int64_t damaged_units;
	int64_t declared_value;
	bool popular;
};

/* One SKU on hand for a storage day: units × volume of one unit (mm³), and how many
 * whole days the stock has been in the warehouse before this day (0 on the day of
 * receipt), compared with the policy's storage_free_days. */
struct fee_storage_item {
	const char *sku;
	int64_t units;
	int64_t unit_volume_mm3;
	int64_t days_in_stock;
};

/*
 * An event that causes fees. at (epoch seconds) must lie in both the policy's and
 * the schedule's validity. Pointers are borrowed for the call.
 */
struct fee_event {
	enum fee_event_kind kind;
	int64_t at;
	union {
		struct {                  /* FEE_EVENT_INBOUND_CLOSE */
			char currency[MONEY_CODE_LEN];  /* of declared_value */
			const struct fee_inbound_item *items;
			size_t n_items;
		} inbound;
		struct {                  /* FEE_EVENT_PICKUP */
			int64_t weight_g;
		} pickup;
		struct {                  /* FEE_EVENT_STORAGE_DAY */
			const struct fee_storage_item *items;
			size_t n_items;
		} storage;
		struct {                  /* FEE_EVENT_OUTBOUND, FEE_EVENT_RETURN */
			int64_t units;
		} units;
	};
};

/* The most lines fee_compute can write for ev (1 + n_items for an inbound close, 1
 * otherwise). */
size_t fee_event_max_lines(const struct fee_event *ev);

/*
 * The fee lines of one event under policy and schedule (the versions in force at
 * ev->at, chosen with the select functions). Writes up to cap lines to out and the
 * count to *n_out (0 when no fee arises, e.g. storage under pop). On error returns
 * -1 with err filled; *n_out is 0 and out's contents are unspecified.
 *
 *  inbound close  one inbound_operation line for good + damaged units × per-unit
 *                 fee (not in pop); then, when advance_rate_bp > 0, one advance
 *                 credit per SKU (popular only, if the policy says so) of
 *                 round(declared_value × good_units × rate) — damaged units are
 *                 not advanced.
 *  pickup         pickup_fixed + pickup_per_kg per kg of weight rounded UP to the
 *                 next 100 g, priced per gram: round(per_kg × grams / 1000).
 *  storage day    one storage_rent line: total volume V = Σ units × unit volume
 *                 (mm³), gross = round(rate × V / 1e9); items within their free
 *                 days are the waived part (not in pop or semi_jit).
 *  outbound       outbound_operation: units × per-unit fee (not in pop).
 *  return         return_handling: units × per-unit fee.
 * A fee type in policy->waived gives a waived line (net 0), in platform_borne a
 * platform-borne line (net 0); both keep gross so statements can show savings.
 * A per-unit or storage line over zero units / zero volume is not written (no
 * fee arises); a pickup always gets its line (the fixed part).
 */
int fee_compute(const struct fee_policy *policy, const struct fee_schedule *schedule,
                const struct fee_event *ev, struct fee_line *out, size_t cap, size_t *n_out,
                struct fee_error *err) WMS_MUST_CHECK;

/* ---- sale settlement ------------------------------------------------------- */

#define FEE_SALE_MAX_LINES 4

/* A sale to settle. unit_price is the buyer's price (not used in full);
 * supply_price the agreed price per unit the platform pays in full (unused
 * otherwise); advance_outstanding the seller's unrecovered advances (>= 0). */
struct fee_sale {
	int64_t at;
	char currency[MONEY_CODE_LEN];
	const char *category;
	int64_t unit_price;
	int64_t quantity;
	int64_t supply_price;
	int64_t advance_outstanding;
};

/* The outcome of a sale settlement. */
struct fee_settlement {
	int64_t sale_amount;               /* unit_price × quantity (supply × qty in full) */
	int64_t fees;                      /* net commission + net payment fee */
	int64_t recovered;                 /* advance recovered from this sale */
	int64_t net_payable;               /* what the seller is paid for this sale */
	int64_t advance_outstanding_after; /* advance_outstanding − recovered */
};

/*
 * Settles one sale under policy (its mode decides) and schedule. Lines, in order:
 *  not full: sale_proceeds credit (unit_price × qty); commission debit
 *            (round(amount × category bp), then net = round(gross × multiplier);
 *            waived or exempt lines keep gross with net 0); payment_fee debit
 *            (round(amount × payment bp), waivable); advance_recovery debit.
 *  full:     supply_payment credit (supply_price × qty) and advance_recovery;
 *            no commission and no payment fee for the seller: the platform is
 *            the retailer and the seller is paid the supply price.
 * Recovery rule: proceeds = credit − net fees; the recovery is
 * min(advance_outstanding, round(max(proceeds, 0) × recovery_share_bp)), written
 * as an advance_recovery line only when > 0. With the default share of 100%
 * each sale's proceeds go to the advance until it is repaid, then nothing is
 * withheld. net_payable = proceeds − recovery (negative only if fees exceed the
 * sale, which validated rates up to 100% each can make possible).
 * Writes up to cap (>= FEE_SALE_MAX_LINES is always enough) lines to lines and the
 * count to *n_lines, and the totals to *out. Returns 0, or -1 with err filled.
 */
int fee_settle_sale(const struct fee_policy *policy, const struct fee_schedule *schedule,
                    const struct fee_sale *sale, struct fee_line *lines, size_t cap,
                    size_t *n_lines, struct fee_settlement *out,
                    struct fee_error *err) WMS_MUST_CHECK;

#endif
