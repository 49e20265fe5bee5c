// Which entries of a request are the token's header or query parameter.
//
// Two relations each. "is" picks the entry the token is read from; "may be
// read as" is wider: every name that some server behind the gateway may take
// for the same header or parameter. A request in which the wider relation
// holds for two entries carries the token twice, and a backend that reads
// another copy than the one validated would act on a token nobody checked,
// so the token source refuses it (token_source.h). None of these allocate.
#pragma once

#include <string_view>

namespace jwtgate {

// is_header: HTTP field names compare case-insensitively (RFC 9110 5.1).
bool is_header(std::string_view request_name, std::string_view policy_name);

// header_may_be_read_as: also "_" for "-": CGI hands every header to the
// application as HTTP_<NAME> with "-" turned into "_" (RFC 3875 4.1.18), so
// "X_Api_Token" and "X-Api-Token" become the same variable.
bool header_may_be_read_as(std::string_view request_name, std::string_view policy_name);

// is_query_parameter: the names are equal once both are percent-decoded
// with "+" as a space (application/x-www-form-urlencoded, the WHATWG URL
// Standard's parser), so that a name may be given raw, as it stands in the
// URL, or decoded. A "%" not followed by two hex digits stands for itself.
// Case matters, as for APIM.
bool is_query_parameter(std::string_view request_name, std::string_view policy_name);

// query_parameter_may_be_read_as: also, after that decoding, ASCII case
// ignored (ASP.NET Core's query collection), leading spaces ignored and " ",
// "." and "[" taken as "_" (PHP's request variables), and a name followed by
// "[...]" (PHP's array syntax: access_token[]=x fills $_GET["access_token"]).
bool query_parameter_may_be_read_as(std::string_view request_name, std::string_view policy_name);

}  // namespace jwtgate
