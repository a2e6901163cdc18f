//! The PDFs of `lsw run`: lsw.pdf per plan and audit-report.pdf per office,
//! read back with pdf-extract (text) and lopdf (page sizes, fonts), compared
//! byte for byte across runs, and the template sandbox.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A fixed run moment (2026-11-21 00:00 JST) so that PDFs are reproducible.
const EPOCH: &str = "1795186800";

fn lsw(args: &[&str], out: &Path) -> std::process::Output {
    Command::cargo_bin("lsw")
        .expect("binary")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .args(["--quiet", "--no-xlsx"])
        .output()
        .expect("run")
}

fn sample(out: &Path) {
    let o = lsw(&["fixtures/sample"], out);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).expect("json")
}

/// The plan folders of a run, sorted.
fn plan_dirs(out: &Path) -> Vec<PathBuf> {
    let m = read_json(&out.join("manifest.json"));
    let mut v: Vec<PathBuf> =
        m["plans"].as_array().expect("plans").iter().map(|p| out.join(p["path"].as_str().expect("path"))).collect();
    v.sort();
    v
}

/// Text of a PDF with all whitespace removed (extraction inserts spaces and
/// line breaks where the layout wraps, and the zero-width spaces that let
/// file names wrap).
fn text(pdf: &Path) -> String {
    let bytes = std::fs::read(pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    squeezed(&pdf_extract::extract_text_from_mem(&bytes).unwrap_or_else(|e| panic!("{}: {e}", pdf.display())))
}

/// [`text`] of each page.
fn page_texts(pdf: &Path) -> Vec<String> {
    pdf_extract::extract_text_by_pages(pdf)
        .unwrap_or_else(|e| panic!("{}: {e}", pdf.display()))
        .iter()
        .map(|t| squeezed(t))
        .collect()
}

/// Extracted text without whitespace and zero-width spaces.
fn squeezed(t: &str) -> String {
    t.chars().filter(|c| !c.is_whitespace() && *c != '\u{200B}').collect()
}

/// Page sizes in whole points (width, height), in page order.
fn page_sizes(pdf: &Path) -> Vec<(i64, i64)> {
    let doc = lopdf::Document::load(pdf).expect("pdf loads");
    doc.get_pages()
        .values()
        .map(|id| {
            let page = doc.get_dictionary(*id).expect("page");
            let mb = page.get(b"MediaBox").expect("MediaBox").as_array().expect("array");
            let n = |o: &lopdf::Object| {
                o.as_float().map(|f| f as f64).or_else(|_| o.as_i64().map(|i| i as f64)).expect("num")
            };
            ((n(&mb[2]) - n(&mb[0])).round() as i64, (n(&mb[3]) - n(&mb[1])).round() as i64)
        })
        .collect()
}

const A4: (i64, i64) = (595, 842);
const A4_LANDSCAPE: (i64, i64) = (842, 595);
const A3_LANDSCAPE: (i64, i64) = (1191, 842);

/// Every page carries its "i / n" once (stamped after layout).
fn numbered(pdf: &Path, pages: usize) {
    let texts = page_texts(pdf);
    assert_eq!(texts.len(), pages, "{}", pdf.display());
    for (i, t) in texts.iter().enumerate() {
        let number = format!("{}/{pages}", i + 1);
        assert_eq!(t.matches(&number).count(), 1, "{} page {}: {number} once in {t}", pdf.display(), i + 1);
    }
}

#[test]
fn plan_pdfs_show_the_forms_in_japanese_on_their_paper() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path();
    sample(out);
    let dirs = plan_dirs(out);
    assert_eq!(dirs.len(), 9);
    for d in &dirs {
        let pdf = d.join("lsw.pdf");
        let size = std::fs::metadata(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display())).len();
        assert!(size < 250_000, "{} is {size} bytes", pdf.display());
        let t = text(&pdf);
        for title in [
            "様式３ライフサポートプラン①",
            "様式１記録用紙兼ミーティング用紙（日々の即時的ケアプラン用紙）",
            "様式２カンファレンス用紙",
        ] {
            assert!(t.contains(title), "{}: no {title}", pdf.display());
        }
        assert!(t.contains("様式４ライフサポートプラン②"), "{}", pdf.display());
        assert!(t.contains("点検結果（ケアプラン点検）"), "{}", pdf.display());
        assert!(t.contains("点検日令和8年11月21日"), "{}: run date in 和暦", pdf.display());
        let sizes = page_sizes(&pdf);
        assert_eq!(sizes.first(), Some(&A4_LANDSCAPE), "様式3 first, A4 landscape: {sizes:?}");
        assert!(sizes.contains(&A4), "様式1/2 on A4: {sizes:?}");
        assert!(sizes.contains(&A3_LANDSCAPE), "様式4 on A3 landscape: {sizes:?}");
        assert!(sizes.iter().all(|s| [A4, A4_LANDSCAPE, A3_LANDSCAPE].contains(s)), "{sizes:?}");
        numbered(&pdf, sizes.len());
    }
    // The standard-CSV plan of 2025-10: name with 様, 和暦 dates, 第6/7表, its
    // findings' codes and the 未分類 count.
    let p = dirs.iter().find(|d| d.to_string_lossy().ends_with("0000100001-20251001")).expect("standard plan");
    let t = text(&p.join("lsw.pdf"));
    let forms = read_json(&p.join("lsw.json"));
    let name: String = forms["header"]["person_name"].as_str().expect("name").split_whitespace().collect();
    assert!(t.contains(&format!("利用者氏名：{name}様")), "name with 様 in: {t}");
    // The 居宅 plan converted is named as such (its 作成日 is not this plan's).
    assert!(t.contains("元計画（居宅サービス計画）作成日令和7年10月1日"), "created in 和暦, as 元計画");
    assert!(t.contains("第６表サービス利用票（兼居宅サービス計画）令和7年10月分"), "第6表 kept");
    assert!(t.contains("第７表サービス利用票別表令和7年10月分"), "第7表 kept");
    // The 第7表 prints the spec's 全合計 as 「合計」, never its marker values.
    assert!(!t.contains("9999999999") && !t.contains("999999"), "no marker values");
    // Cells the 小多機 team fills are marked, and counted.
    assert!(t.contains("（小多機で記入）") && t.contains("小多機で記入する欄様式1"), "marked blanks");
    let unclassified = forms["unclassified"].as_array().expect("unclassified").len();
    assert!(t.contains(&format!("様式に振り分けられなかった値{unclassified}件")), "unclassified count visible");
    // Every page says whose plan it is (a table that runs on keeps the name);
    // ほのぼの's exports carry no name, so their forms give the 被保険者番号.
    for d in &dirs {
        let forms = read_json(&d.join("lsw.json"));
        let who = match forms["header"]["person_name"].as_str() {
            Some(n) => format!("利用者氏名：{}様", n.split_whitespace().collect::<String>()),
            None => format!(
                "利用者氏名：（氏名の記載なし）被保険者番号{}",
                forms["key"]["insured_no"].as_str().expect("no")
            ),
        };
        for (i, page) in page_texts(&d.join("lsw.pdf")).iter().enumerate() {
            assert!(page.contains(&who), "{} page {}: no {who}", d.display(), i + 1);
        }
    }
    // Every finding of a plan is listed with its location.
    for d in &dirs {
        let t = text(&d.join("lsw.pdf"));
        let f = read_json(&d.join("findings.json"));
        for x in f["findings"].as_array().expect("findings") {
            assert!(t.contains(x["code"].as_str().expect("code")), "{}: {x}", d.display());
        }
        if f["findings"].as_array().expect("findings").is_empty() {
            assert!(t.contains("指摘はありません"), "{}", d.display());
        }
    }
}

#[test]
fn fonts_are_embedded_and_subset() {
    let tmp = tempfile::tempdir().expect("tmp");
    sample(tmp.path());
    let pdf = plan_dirs(tmp.path())[0].join("lsw.pdf");
    let doc = lopdf::Document::load(&pdf).expect("pdf");
    let mut names = Vec::new();
    let mut embedded = 0;
    for (_, obj) in doc.objects.iter() {
        if let Ok(d) = obj.as_dict() {
            if d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor".as_slice()) {
                names.push(
                    String::from_utf8_lossy(d.get(b"FontName").expect("name").as_name().expect("name")).to_string(),
                );
                if d.has(b"FontFile2") || d.has(b"FontFile3") {
                    embedded += 1;
                }
            }
        }
    }
    assert!(!names.is_empty());
    assert_eq!(embedded, names.len(), "every font embedded: {names:?}");
    // Subset fonts carry a six-letter tag: ABCDEF+BIZUDPGothic.
    assert!(names.iter().all(|n| n.len() > 7 && n.as_bytes()[6] == b'+'), "{names:?}");
    assert!(names.iter().any(|n| n.contains("BIZUDPGothic")), "{names:?}");
}

#[test]
fn office_reports_count_and_rank() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path();
    sample(out);
    let offices: Vec<PathBuf> =
        std::fs::read_dir(out.join("offices")).expect("offices").map(|e| e.expect("entry").path()).collect();
    assert_eq!(offices.len(), 4);
    let all = read_json(&out.join("findings.json"));
    for o in &offices {
        let pdf = o.join("audit-report.pdf");
        let t = text(&pdf);
        assert!(t.contains("ケアプラン点検結果報告書"), "{}", pdf.display());
        assert!(t.contains("点検日令和8年11月21日"));
        let office = o.file_name().expect("name").to_string_lossy().to_string();
        let mine: Vec<&Value> =
            all.as_array().expect("all").iter().filter(|f| f["office"] == office.as_str()).collect();
        let plans = std::fs::read_dir(o.join("plans")).expect("plans").count();
        assert!(t.contains(&format!("点検した計画{plans}件")), "{}: {t}", pdf.display());
        for (sev, ja) in [("error", "エラー"), ("warning", "警告")] {
            let n = mine.iter().filter(|f| f["severity"] == sev).count();
            assert!(t.contains(&format!("{ja}{n}件")), "{}: {ja} {n}", pdf.display());
        }
        for f in &mine {
            assert!(t.contains(f["code"].as_str().expect("code")));
        }
        assert!(t.contains("重大度別の指摘件数") && t.contains("指摘の多い計画"));
        assert!(page_sizes(&pdf).iter().all(|s| *s == A4));
        numbered(&pdf, page_sizes(&pdf).len());
    }
}

/// A large office's report comes in volumes (`LSW_REPORT_PLANS` plans each):
/// the first has the cover and names every volume, each holds its share of
/// the ranked plans, and a later run with fewer volumes removes the extras.
#[test]
fn office_reports_come_in_volumes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path();
    let run = |per: &str| {
        let o = Command::cargo_bin("lsw")
            .expect("binary")
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("LSW_REPORT_PLANS", per)
            .args(["run", "fixtures/sample", "--quiet", "--no-xlsx", "--out"])
            .arg(out)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run("1");
    let all = read_json(&out.join("findings.json"));
    let manifest = read_json(&out.join("manifest.json"));
    let listed: Vec<&str> =
        manifest["offices"].as_array().expect("offices").iter().filter_map(|o| o["path"].as_str()).collect();
    let mut several = 0;
    for o in std::fs::read_dir(out.join("offices")).expect("offices").map(|e| e.expect("entry").path()) {
        let office = o.file_name().expect("name").to_string_lossy().to_string();
        let keys: Vec<String> = std::fs::read_dir(o.join("plans"))
            .expect("plans")
            .map(|e| e.expect("plan").file_name().to_string_lossy().to_string())
            .collect();
        let files: Vec<String> = (1..=keys.len())
            .map(|v| if v == 1 { "audit-report.pdf".to_string() } else { format!("audit-report-{v}.pdf") })
            .collect();
        let texts: Vec<String> = files.iter().map(|f| text(&o.join(f))).collect();
        assert!(!o.join(format!("audit-report-{}.pdf", keys.len() + 1)).exists());
        for f in &files {
            assert!(listed.contains(&format!("offices/{office}/{f}").as_str()), "{f} in the manifest");
        }
        assert!(texts[0].contains("点検した計画"), "the first volume has the cover");
        if keys.len() > 1 {
            several += 1;
            assert!(texts[0].contains(&format!("この報告書は{}分冊です", keys.len())), "{}", texts[0]);
            assert!(files.iter().all(|f| texts[0].contains(f.as_str())), "the cover names every volume");
            assert!(texts[1].contains(&format!("（2／{}分冊）", keys.len())), "{}", texts[1]);
            assert!(!texts[1].contains("点検した計画"), "later volumes have no cover");
        }
        // Every plan in exactly one volume, every finding code somewhere.
        for k in &keys {
            assert_eq!(texts.iter().filter(|t| t.contains(k.as_str())).count(), 1, "{k}");
        }
        for f in all.as_array().expect("all").iter().filter(|f| f["office"] == office.as_str()) {
            let code = f["code"].as_str().expect("code");
            assert!(texts.iter().any(|t| t.contains(code)), "{office}: {code}");
        }
    }
    assert!(several > 0, "the sample has an office with several plans");
    // Back to one volume per office: the extra volumes go.
    run("200");
    for o in std::fs::read_dir(out.join("offices")).expect("offices").map(|e| e.expect("entry").path()) {
        let reports: Vec<String> = std::fs::read_dir(&o)
            .expect("office")
            .map(|e| e.expect("file").file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with("audit-report"))
            .collect();
        assert_eq!(reports, vec!["audit-report.pdf".to_string()], "{}", o.display());
    }
}

#[test]
fn the_same_input_gives_byte_identical_pdfs() {
    let a = tempfile::tempdir().expect("tmp");
    let b = tempfile::tempdir().expect("tmp");
    sample(a.path());
    let o = Command::cargo_bin("lsw")
        .expect("binary")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["run", "fixtures/sample", "--quiet", "--no-xlsx", "--jobs", "1", "--out"])
        .arg(b.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
    let mut compared = 0;
    for d in plan_dirs(a.path()) {
        let rel = d.strip_prefix(a.path()).expect("rel");
        let x = std::fs::read(d.join("lsw.pdf")).expect("a");
        let y = std::fs::read(b.path().join(rel).join("lsw.pdf")).expect("b");
        assert!(x == y, "{} differs between runs", rel.display());
        compared += 1;
    }
    assert_eq!(compared, 9);
    // And the date is the run's: another SOURCE_DATE_EPOCH, other bytes.
    let c = tempfile::tempdir().expect("tmp");
    Command::cargo_bin("lsw")
        .expect("binary")
        .env("SOURCE_DATE_EPOCH", "1800000000")
        .args(["run", "fixtures/sample", "--quiet", "--no-xlsx", "--out"])
        .arg(c.path())
        .output()
        .expect("run");
    let first = plan_dirs(a.path())[0].strip_prefix(a.path()).expect("rel").to_path_buf();
    assert_ne!(
        std::fs::read(a.path().join(&first).join("lsw.pdf")).expect("a"),
        std::fs::read(c.path().join(&first).join("lsw.pdf")).expect("c")
    );
    assert!(text(&c.path().join(&first).join("lsw.pdf")).contains("点検日令和9年1月15日"));
}

#[test]
fn pdf_a_2b_for_archives() {
    let tmp = tempfile::tempdir().expect("tmp");
    let o = lsw(&["fixtures/sample", "--pdf-standard", "a-2b"], tmp.path());
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(plan_dirs(tmp.path())[0].join("lsw.pdf")).expect("pdf");
    let s = String::from_utf8_lossy(&bytes);
    assert!(s.contains("pdfaid:part") && s.contains("pdfaid:conformance"), "PDF/A identification in XMP");
    let plain = tempfile::tempdir().expect("tmp");
    lsw(&["fixtures/sample"], plain.path());
    let p = std::fs::read(plan_dirs(plain.path())[0].join("lsw.pdf")).expect("pdf");
    assert!(!String::from_utf8_lossy(&p).contains("pdfaid:part"));
}

/// A template folder with the built-in common.typ and office report, and
/// `plan` as plan.typ.
fn templates_with(dir: &Path, plan: &str) {
    std::fs::create_dir_all(dir).expect("dir");
    for f in ["common.typ", "office-report.typ"] {
        std::fs::copy(Path::new("templates").join(f), dir.join(f)).expect("copy");
    }
    std::fs::write(dir.join("plan.typ"), plan).expect("write");
}

#[test]
fn templates_cannot_read_outside_their_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    for (i, path) in ["/etc/hostname", "../../../../etc/hostname", "@preview/tablex:0.0.8"].iter().enumerate() {
        let templates = tmp.path().join(format!("t{i}"));
        let call = if path.starts_with('@') { format!("#import \"{path}\": *") } else { format!("#read(\"{path}\")") };
        templates_with(&templates, &format!("= 計画\n{call}\n"));
        let out = tmp.path().join(format!("out{i}"));
        let o = lsw(&["fixtures/sample", "--templates", templates.to_str().expect("utf8")], &out);
        assert_eq!(o.status.code(), Some(2));
        let errors = read_json(&out.join("errors.json"));
        let pdf_errors: Vec<&Value> = errors
            .as_array()
            .expect("errors")
            .iter()
            .filter(|e| e["file"].as_str().is_some_and(|f| f.ends_with("lsw.pdf")))
            .collect();
        assert_eq!(pdf_errors.len(), 9, "{path}: one error per plan: {errors}");
        let msg = pdf_errors[0]["message"].as_str().expect("message");
        assert!(msg.contains("PDFを組版できませんでした") && msg.contains("plan.typ 2行目"), "{path}: {msg}");
        assert!(
            msg.contains("テンプレートが読めるのはテンプレートフォルダのファイルと /data.json だけです"),
            "{path}: {msg}"
        );
        assert!(!msg.contains("--root"), "no typst CLI hints: {msg}");
        // No PDF half-written for the failed plans; the office reports still came.
        assert!(plan_dirs(&out).iter().all(|d| !d.join("lsw.pdf").exists()));
        assert!(out.join("offices").read_dir().expect("offices").all(|o| o
            .expect("o")
            .path()
            .join("audit-report.pdf")
            .exists()));
    }
}

#[test]
fn a_template_folder_may_use_its_own_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let templates = tmp.path().join("t");
    templates_with(&templates, "#let d = json(\"/data.json\")\n= #read(\"parts/greeting.txt\") #d.head.person\n");
    std::fs::create_dir_all(templates.join("parts")).expect("dir");
    std::fs::write(templates.join("parts/greeting.txt"), "ごあいさつ").expect("write");
    let out = tmp.path().join("out");
    lsw(&["fixtures/sample", "--templates", templates.to_str().expect("utf8")], &out);
    let t = text(&plan_dirs(&out)[0].join("lsw.pdf"));
    assert!(t.starts_with("ごあいさつ") && t.contains("様"), "{t}");
}

/// Page numbers come from page-numbers.typ of the template folder: none
/// without it, its own wording with it, and a clear error when it typesets
/// another number of pages than the document has.
#[test]
fn page_numbers_come_from_their_template() {
    let tmp = tempfile::tempdir().expect("tmp");
    let t = tmp.path().join("t");
    templates_with(&t, "= 計画\n");
    let out = tmp.path().join("out0");
    lsw(&["fixtures/sample", "--templates", t.to_str().expect("utf8")], &out);
    let pdf = plan_dirs(&out)[0].join("lsw.pdf");
    assert_eq!(page_texts(&pdf), vec!["計画".to_string()], "no numbers without page-numbers.typ");

    let stamp = |extra: &str| {
        format!(
            "#let d = json(\"/data.json\")\n#for (i, (w, h)) in d.pages.enumerate() {{ page(width: w * 1pt, \
             height: h * 1pt, footer: [第#(i + 1)頁])[] }}\n{extra}"
        )
    };
    std::fs::write(t.join("page-numbers.typ"), stamp("")).expect("write");
    let out = tmp.path().join("out1");
    lsw(&["fixtures/sample", "--templates", t.to_str().expect("utf8")], &out);
    assert_eq!(page_texts(&plan_dirs(&out)[0].join("lsw.pdf")), vec!["計画第1頁".to_string()]);

    std::fs::write(t.join("page-numbers.typ"), stamp("#page[]")).expect("write");
    let out = tmp.path().join("out2");
    let o = lsw(&["fixtures/sample", "--templates", t.to_str().expect("utf8")], &out);
    assert_eq!(o.status.code(), Some(2));
    let errors = read_json(&out.join("errors.json"));
    let msg = errors
        .as_array()
        .expect("errors")
        .iter()
        .find(|e| e["file"].as_str().is_some_and(|f| f.ends_with("lsw.pdf")))
        .and_then(|e| e["message"].as_str())
        .expect("a PDF error")
        .to_string();
    assert!(msg.starts_with("PDFを組版できませんでした（テンプレートフォルダ "), "{msg}");
    assert!(msg.contains("page-numbers.typ が 2 ページを組版しました（1 ページのはずです）"), "{msg}");
    assert!(plan_dirs(&out).iter().all(|d| !d.join("lsw.pdf").exists()));
}

#[test]
fn a_template_folder_without_the_plan_template_is_refused_up_front() {
    let tmp = tempfile::tempdir().expect("tmp");
    let templates = tmp.path().join("t");
    std::fs::create_dir_all(&templates).expect("dir");
    std::fs::write(templates.join("office-report.typ"), "x").expect("write");
    let o = lsw(&["fixtures/sample", "--templates", templates.to_str().expect("utf8")], &tmp.path().join("out"));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("plan.typ がありません"), "{err}");
}
