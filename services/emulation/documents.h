// The dossier's printable documents, generated from the year's records in
// Vietnamese: the head's proposal letter (tờ trình), the achievement report
// (báo cáo thành tích), the conference's minutes (biên bản) and the vote
// count (biên bản kiểm phiếu). Plain text laid out for printing: the page
// shows it as text, never as markup.
#pragma once

#include <vector>

#include "federation/v1/emulation.pb.h"
#include "federation/v1/ranking.pb.h"

namespace emulation {

namespace v1 = federation::v1;

// `assessment` gives ranks and the three columns; `letter` the proposal
// letter's number and date when a dossier is being submitted (else the
// year's last dossier's, or blanks to fill in by hand).
std::vector<v1::Document> GenerateDocuments(const v1::EmulationYear& year,
                                            const v1::ScoringScheme& scheme,
                                            const v1::Assessment& assessment,
                                            const v1::Dossier& letter);

}  // namespace emulation
