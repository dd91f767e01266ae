// SPDX-License-Identifier: MIT
#pragma once

namespace Kb {
// The SDK API a plugin is built against. The host refuses plugins whose manifest
// "Api" differs in the major number; a breaking change bumps this and the IID below.
inline constexpr int SdkApiVersion = 1;
} // namespace Kb

#define KB_RECORDTYPE_IID "org.kb.RecordType/1"
