// Section renderers of the compliance page (private to the report module). Each returns one
// <section> with every piece of journal text escaped; compliance_html.cpp assembles the page.
#pragma once

#include <string>

#include "cst/report/compliance_report.hpp"

namespace cst::report::compliance_html {

// compliance_html_sections.cpp: what the gateway and the security controls did.
std::string decisions_section(const ComplianceReport& r);
std::string violations_section(const ComplianceReport& r);
std::string lockdowns_section(const ComplianceReport& r);
std::string operator_section(const ComplianceReport& r);
std::string keys_section(const ComplianceReport& r);

// compliance_html_config.cpp: configuration, threat level, alerts and the rest.
std::string configuration_section(const ComplianceReport& r);
std::string threat_section(const ComplianceReport& r);
std::string alerts_section(const ComplianceReport& r);
std::string other_section(const ComplianceReport& r);

}  // namespace cst::report::compliance_html
