// The page's own words, Indonesian first, and number formatting for each language.
// Everything about the ruleset (labels, tiers, levels, options) comes from the API in both
// languages; only the page's buttons and headings are written here.

export const LANGS = ["id", "en"];

const WORDS = {
  id: {
    skip: "Lewati ke isian",
    fileNav: "Berkas",
    pointsCol: "Poin",
    title: "Penilaian Mandiri KLA",
    subtitle: "Kabupaten/Kota Layak Anak: isi jawaban, lihat skor, peringkat dan rencananya",
    switchLang: "English",
    switchLangLabel: "Switch the page to English",
    ruleset: "Aturan",
    version: "versi",
    status: "status",
    statusWords: { official: "resmi", provisional: "sementara", illustrative: "ilustrasi" },
    provisional:
      "Aturan ini SEMENTARA: bobot dan aturan poinnya adalah rekonstruksi kla_model, bukan angka resmi KemenPPPA. Jangan sajikan skor di halaman ini sebagai skor resmi.",
    illustrative:
      "Aturan ini hanya ILUSTRASI: angkanya dibuat untuk contoh dan bukan angka resmi.",
    chooseRuleset: "Aturan yang dipakai",
    stage: "Tahap penilaian",
    latestStage: "Tahap terakhir dalam berkas",
    stages: {
      self_assessment: "Penilaian mandiri",
      administrative: "Verifikasi administrasi",
      field: "Verifikasi lapangan",
      final: "Verifikasi final",
    },
    loadExample: "Muat contoh (Kota Tangerang 2025)",
    upload: "Unggah berkas (YAML/JSON)",
    download: "Unduh berkas (JSON)",
    newDraft: "Mulai draf baru",
    confirmNew: "Hapus draf ini dan mulai dari awal?",
    confirmReplace: "Ganti draf yang sedang diisi?",
    restored: "Draf terakhir dipulihkan dari penyimpanan browser ini.",
    draftDiscarded: "Draf yang tersimpan di browser ini rusak dan tidak dapat dibaca, jadi dibuang. Mulailah draf baru, atau unggah berkas yang pernah diunduh.",
    exampleLoaded: "Contoh dimuat. Semua nilainya ilustrasi, bukan data resmi.",
    uploaded: (name) => `Berkas ${name} dimuat.`,
    downloaded: (name) => `Berkas ${name} diunduh; \`kla score ${name}\` membacanya.`,
    region: "Daerah dan tahun evaluasi",
    regionCode: "Kode wilayah",
    regionName: "Nama daerah",
    regionKind: "Jenis",
    kinds: { kabupaten: "Kabupaten", kota: "Kota", desa: "Desa", kelurahan: "Kelurahan" },
    province: "Provinsi",
    year: "Tahun evaluasi",
    answers: "Jawaban per indikator",
    unanswered: "— belum dijawab —",
    yes: "Ya",
    no: "Tidak",
    value: (unit) => (unit === "percent" ? "Nilai (%)" : "Nilai"),
    dataYear: "Tahun data",
    points: "poin",
    pointsOf: (p, m) => `${p} dari ${m} poin`,
    lowerBetter: "Lebih rendah lebih baik; dibandingkan dengan angka nasional tahun datanya.",
    higherBetter: "Lebih tinggi lebih baik; dibandingkan dengan angka nasional tahun datanya.",
    bands: "Rentang",
    why: "Alasan",
    whyLabel: (id) => `Alasan skor indikator ${id}`,
    outcome: {
      missing: "belum dijawab",
      unverified: "data dukung belum diterima pada tahap ini",
      corrected: "nilai dikoreksi verifikator",
      scored: "",
    },
    score: "Skor",
    total: "Total",
    tier: "Peringkat",
    noScore: "Belum ada skor: isi daerah dan tahun, lalu jawaban.",
    stale: "Ada isian yang perlu diperbaiki (lihat pesan di kolomnya); skor di atas belum memuat perubahan terakhir.",
    scoring: "Menghitung…",
    stageUsed: "Tahap",
    verifiedStage:
      "Berkas ini memuat catatan verifikasi; pilih tahap “Penilaian mandiri” untuk skor jawaban yang diisi daerah.",
    nextTier: (name, strict, points, min) =>
      strict
        ? `Menuju ${name}: perlu lebih dari ${points} poin lagi (total lebih dari ${min}).`
        : `Menuju ${name}: perlu paling sedikit ${points} poin lagi (total paling sedikit ${min}).`,
    topTier: "Peringkat tertinggi tercapai.",
    topTierNoPlan: "Peringkat tertinggi sudah tercapai: tidak ada peringkat di atasnya untuk direncanakan.",
    condition: (points, id) => `paling sedikit ${points} poin pada ${id}`,
    unmet: "Syarat yang belum terpenuhi",
    tierScale: "Skala peringkat",
    atLeast: "paling sedikit",
    moreThan: "lebih dari",
    groups: "Poin per kelompok",
    group: "Kelompok",
    max: "Maks",
    plan: "Rencana menuju peringkat",
    planTarget: "Target peringkat",
    makePlan: "Susun rencana",
    planning: "Menyusun rencana…",
    planNone: "Tidak ada perubahan yang diperlukan.",
    planStale: "Rencana ini disusun untuk isian sebelumnya; susun lagi untuk isian sekarang.",
    agencies: "Tugas per OPD",
    agenciesIntro:
      "Muat berkas penugasan gugus tugas (OPD mana memimpin indikator atau butir apa) untuk melihat poin, kehilangan, risiko dan langkah rencana tiap OPD. Poin butir dihitung untuk OPD pemimpinnya saja.",
    loadExampleAssignment: "Muat penugasan contoh",
    uploadAssignment: "Unggah penugasan (YAML/JSON)",
    refreshAgencies: "Hitung ulang per OPD",
    agenciesWorking: "Menghitung per OPD…",
    agenciesStale: "Tabel ini dihitung untuk isian sebelumnya; hitung ulang untuk isian sekarang.",
    agenciesCaption: "Poin, kehilangan, risiko dan langkah rencana per OPD",
    agenciesCaptionTarget: (tier) => `Poin, kehilangan, risiko dan langkah rencana menuju ${tier} per OPD`,
    agency: "OPD",
    lost: "Hilang saat verifikasi",
    atRisk: "Berisiko (bukti kurang)",
    planSteps: "Langkah rencana",
    unassigned: "Belum ditugaskan",
    unassignedItems: "Butir yang belum ditugaskan",
    noneUnassigned: "Semua butir sudah punya OPD pemimpin.",
    assignmentNotAdopted: "Penugasan ini bukan keputusan resmi daerah (contoh atau templat).",
    assignmentLoaded: (name) => `Penugasan ${name} dimuat.`,
    problemsHere: "Perbaiki isian berikut:",
    serverDown: "Layanan tidak menjawab. Draf tetap tersimpan di browser ini.",
    uploadFailed: "Berkas tidak dapat dibaca:",
  },
  en: {
    skip: "Skip to the form",
    fileNav: "File",
    pointsCol: "Points",
    title: "KLA self-assessment",
    subtitle: "Child-Friendly District (KLA): fill in the answers, see the score, the tier and a plan",
    switchLang: "Bahasa Indonesia",
    switchLangLabel: "Ganti bahasa halaman ke Bahasa Indonesia",
    ruleset: "Ruleset",
    version: "version",
    status: "status",
    statusWords: { official: "official", provisional: "provisional", illustrative: "illustrative" },
    provisional:
      "This ruleset is PROVISIONAL: its weights and point rules are kla_model's reconstruction, not KemenPPPA's official figures. Do not present a score from this page as an official score.",
    illustrative: "This ruleset is ILLUSTRATIVE ONLY: its numbers were made up for examples.",
    chooseRuleset: "Ruleset in use",
    stage: "Evaluation stage",
    latestStage: "Latest stage in the file",
    stages: {
      self_assessment: "Self-assessment",
      administrative: "Administrative verification",
      field: "Field verification",
      final: "Final verification",
    },
    loadExample: "Load the example (Kota Tangerang 2025)",
    upload: "Upload a file (YAML/JSON)",
    download: "Download the file (JSON)",
    newDraft: "Start a new draft",
    confirmNew: "Delete this draft and start again?",
    confirmReplace: "Replace the draft you are filling in?",
    restored: "Your last draft was restored from this browser's storage.",
    draftDiscarded: "The draft kept in this browser was damaged and could not be read, so it was discarded. Start a new draft, or upload a file you downloaded earlier.",
    exampleLoaded: "Example loaded. Every value in it is illustrative, not official data.",
    uploaded: (name) => `File ${name} loaded.`,
    downloaded: (name) => `File ${name} downloaded; \`kla score ${name}\` reads it.`,
    region: "Region and evaluation round",
    regionCode: "Region code",
    regionName: "Region name",
    regionKind: "Kind",
    kinds: { kabupaten: "Regency (kabupaten)", kota: "City (kota)", desa: "Village (desa)", kelurahan: "Urban village (kelurahan)" },
    province: "Province",
    year: "Evaluation year",
    answers: "Answers per indicator",
    unanswered: "— not answered —",
    yes: "Yes",
    no: "No",
    value: (unit) => (unit === "percent" ? "Value (%)" : "Value"),
    dataYear: "Data year",
    points: "points",
    pointsOf: (p, m) => `${p} of ${m} points`,
    lowerBetter: "Lower is better; compared with the national figure for its data year.",
    higherBetter: "Higher is better; compared with the national figure for its data year.",
    bands: "Bands",
    why: "Why",
    whyLabel: (id) => `Why indicator ${id} scores so`,
    outcome: {
      missing: "not answered",
      unverified: "evidence not accepted at this stage",
      corrected: "value corrected by a verifier",
      scored: "",
    },
    score: "Score",
    total: "Total",
    tier: "Tier",
    noScore: "No score yet: fill in the region and year, then the answers.",
    stale: "Some fields need fixing (see the message at each); the score above does not include the latest changes.",
    scoring: "Scoring…",
    stageUsed: "Stage",
    verifiedStage:
      "This file holds verifiers' records; choose the “Self-assessment” stage for the score of the answers as declared.",
    nextTier: (name, strict, points, min) =>
      strict
        ? `To ${name}: more than ${points} points needed (a total of more than ${min}).`
        : `To ${name}: at least ${points} points needed (a total of at least ${min}).`,
    topTier: "The highest tier is reached.",
    topTierNoPlan: "The highest tier is reached: there is no tier above it to plan for.",
    condition: (points, id) => `at least ${points} points on ${id}`,
    unmet: "Conditions not yet met",
    tierScale: "Tier scale",
    atLeast: "at least",
    moreThan: "more than",
    groups: "Points per group",
    group: "Group",
    max: "Max",
    plan: "A plan to reach a tier",
    planTarget: "Target tier",
    makePlan: "Make a plan",
    planning: "Making the plan…",
    planNone: "No change is needed.",
    planStale: "This plan was made for the earlier answers; make it again for the current ones.",
    agencies: "Per agency (OPD)",
    agenciesIntro:
      "Load the task force's assignment file (which agency leads which indicator or item) to see each agency's points, losses, risks and plan steps. An item's points count for its lead agency only.",
    loadExampleAssignment: "Load the example assignment",
    uploadAssignment: "Upload an assignment (YAML/JSON)",
    refreshAgencies: "Recompute per agency",
    agenciesWorking: "Computing per agency…",
    agenciesStale: "This table was computed for the earlier answers; recompute it for the current ones.",
    agenciesCaption: "Points, losses, risks and plan steps per agency",
    agenciesCaptionTarget: (tier) => `Points, losses, risks and plan steps to ${tier} per agency`,
    agency: "Agency (OPD)",
    lost: "Lost at verification",
    atRisk: "At risk (missing evidence)",
    planSteps: "Plan steps",
    unassigned: "Unassigned",
    unassignedItems: "Items no agency leads",
    noneUnassigned: "Every item has a lead agency.",
    assignmentNotAdopted: "This assignment is not the district's own decision (an example or a template).",
    assignmentLoaded: (name) => `Assignment ${name} loaded.`,
    problemsHere: "Please fix the following:",
    serverDown: "The service did not answer. Your draft is still kept in this browser.",
    uploadFailed: "The file could not be read:",
  },
};

/** The page's words in `lang`. */
export function words(lang) {
  return WORDS[lang] ?? WORDS.id;
}

/** A bilingual label ({id, en}) in `lang`, falling back to Indonesian. */
export function label(bilingual, lang) {
  if (bilingual == null) return "";
  if (typeof bilingual === "string") return bilingual;
  return bilingual[lang] ?? bilingual.id ?? "";
}

/** A number as people write it in `lang`: 710,75 in Indonesian, 710.75 in English; at most
 * two decimals, trailing zeros dropped (a maximum, a threshold: 1000, 30,3). */
export function number(value, lang) {
  return format(value, lang, 0);
}

/** Points earned, with two decimals as `kla score` prints them: 89,00 in Indonesian, 89.00 in
 * English (the CLI's format_points). */
export function points(value, lang) {
  return format(value, lang, 2);
}

function format(value, lang, fixed) {
  const locale = lang === "en" ? "en-GB" : "id-ID";
  // No thousands separator: the API's own sentences write "710,75 dari 1000 poin".
  const options = { minimumFractionDigits: fixed, maximumFractionDigits: 2, useGrouping: false };
  return new Intl.NumberFormat(locale, options).format(value);
}

/** A problem from the service in `lang`: its message_id or message_en, else its message. */
export function problemText(problem, lang) {
  return problem[`message_${lang}`] ?? problem.message ?? "";
}
