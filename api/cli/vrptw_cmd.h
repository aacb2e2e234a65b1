/* vrptw_cmd.h — `wmsd vrptw`: the pickup planner's solver on a Solomon-format instance. */
#ifndef WMS_API_VRPTW_CMD_H
#define WMS_API_VRPTW_CMD_H

/* `wmsd vrptw [--time-limit S] [--seed N] [--vehicle-cost C] [--iterations N] FILE`: prints
 * one JSON object {"vehicles", "distance", "routes", "unassigned", ...}. Returns the exit
 * code (0, 1 when the file cannot be read or solved, 2 for bad arguments). */
int vrptw_main(int argc, char **argv);

#endif
