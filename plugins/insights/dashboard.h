#pragma once

#include <kb/sdk.h>

// The manager's dashboard (`kb dashboard --json`, the "charts" view): whether the
// improvement loop closes, drawn from the records the reader may see.
//  - open improvements by status at the end of each of the last 12 months
//  - overdue open improvements by owner
//  - median days from proposed to closed, by touchpoint
//  - complaint-sourced improvements with an outcome: was the customer told?
//  - lessons per touchpoint per year
// Status history comes from each improvement's follow-up log ("- DATE WHO: from → to");
// one without a log has had its present status since it was filed (a closed one with
// verified_on counts as open until then).
int runDashboard(const QStringList &args, Kb::Host &host);
