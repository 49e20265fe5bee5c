// The XML form of a policy: declared with the JSON form in policy_forms.h,
// one interface for both. This name stays for the includes that use it.
#pragma once

#include "policy/policy_forms.h"
