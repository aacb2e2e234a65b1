/* parcel.c — chargeable weight: the greater of actual and volumetric weight, rounded up to
 * the next 100 g. */
#include "routing/parcel.h"
#include "routing/network.h"

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
