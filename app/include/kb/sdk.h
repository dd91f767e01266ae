// SPDX-License-Identifier: MIT
// The one header a plugin includes.
#pragma once

#include <kb/host.h>
#include <kb/issue.h>
#include <kb/markdowntext.h>
#include <kb/recorddata.h>
#include <kb/recordtype.h>
#include <kb/schemalabels.h>
#include <kb/version.h>
#include <kb/views.h>
