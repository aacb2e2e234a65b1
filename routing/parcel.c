/* parcel.c — a parcel on the legs: its chargeable weight (the greater of actual and
 * volumetric weight, rounded up to the next 100 g), what each leg charges for it and whether
 * the leg takes it. */
#include "routing/parcel.h"
#include "routing/parcel_int.h"

int64_t routing_chargeable_g(const struct routing_parcel *p, int32_t vol_divisor)
{
	if (p->weight_g < 0 || p->dims_mm[0] < 0 || p->dims_mm[1] < 0 || p->dims_mm[2] < 0 ||
	    vol_divisor < 0)
		return -1;
	if (vol_divisor == 0)
		vol_divisor = ROUTING_DEFAULT_VOL_DIVISOR;
	/* volumetric g = mm³ / 1000 (cm³) / divisor (kg) × 1000 = mm³ / divisor; in units of
	 * 100 g, rounded up: ceil(mm³ / (divisor × 100)) */
	__extension__ unsigned __int128 mm3 = (unsigned __int128)(uint32_t)p->dims_mm[0] *
	                                      (uint32_t)p->dims_mm[1] * (uint32_t)p->dims_mm[2];
	uint64_t unit = (uint64_t)vol_divisor * 100;
	uint64_t vol100 = (uint64_t)((mm3 + unit - 1) / unit);
	uint64_t act100 = ((uint64_t)p->weight_g + 99) / 100;
	uint64_t c = vol100 > act100 ? vol100 : act100;
	return (int64_t)(c * 100);
}

/* per_kg × g / 1000 rounded half to even (exact: 128-bit). */
static int64_t per_kg_cost(int64_t per_kg, int64_t g)
{
	__extension__ __int128 num = (__int128)per_kg * g;
	__extension__ __int128 q = num / 1000, r = num % 1000;
	if (r > 500 || (r == 500 && (q & 1)))
		q++;
	return q > INT64_MAX ? RCOST_INF : (int64_t)q;
}

/* Whether the parcel's dimensions fit the leg's limits in some rotation (both sorted). */
static bool fits(const int32_t sorted_parcel[3], const int32_t limit[3])
{
	for (int i = 0; i < 3; i++)
		if (limit[i] > 0 && sorted_parcel[i] > limit[i])
			return false;
	return true;
}

/* per_kg × g / 1000 rounded half to even, in 64 bits when the product fits. */
static int64_t per_kg_cost_fast(int64_t per_kg, int64_t g)
{
	int64_t num;
	if (__builtin_mul_overflow(per_kg, g, &num))
		return per_kg_cost(per_kg, g);
	int64_t q = num / 1000, r = num % 1000; /* both ≥ 0 */
	if (r > 500 || (r == 500 && (q & 1)))
		q++;
	return q;
}

void rparcel_price_legs(const struct routing_network *net, const struct routing_parcel *p,
                        const uint32_t *legs, size_t n, uint8_t *accept, int64_t *cost,
                        int32_t *charge_g)
{
	int32_t d[3] = { p->dims_mm[0], p->dims_mm[1], p->dims_mm[2] };
	rsort3_desc(d);
	int32_t div = -1; /* chargeable weight depends on the divisor only: reuse it */
	int64_t g = 0;
	for (size_t x = 0; x < n; x++) {
		size_t i = legs ? legs[x] : x;
		const struct rleg *l = &net->legs[i];
		if (l->vol_divisor != div) {
			div = l->vol_divisor;
			g = routing_chargeable_g(p, div);
		}
		charge_g[i] = (int32_t)(g > INT32_MAX ? INT32_MAX : g);
		cost[i] = rcost_add(l->fixed_minor, per_kg_cost_fast(l->per_kg_minor, g));
		if (l->max_weight_g > 0 && p->weight_g > l->max_weight_g)
			accept[i] = RPARCEL_REFUSE_HEAVY;
		else if (!fits(d, l->max_dims_mm))
			accept[i] = RPARCEL_REFUSE_LARGE;
		else
			accept[i] = RPARCEL_ACCEPT;
	}
}
