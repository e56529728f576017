//! The logical structure of rendered PDFs, checked object by object: the tags a screen
//! reader follows, and the targets of links and bookmarks. Profiles and books both pass;
//! a book is assembled from its profiles' PDFs, so it is where a merge would break them.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::support::TestProject;

/// Everything wrong with the tagged structure of the PDF at `path` (empty when sound).
pub(crate) fn structure_problems(path: &Path) -> Vec<String> {
    let pdf = Document::load(path).expect("a readable PDF");
    let mut problems = Vec::new();
    let catalog = pdf.catalog().expect("a catalog");
    for key in [
        b"Lang".as_slice(),
        b"Metadata",
        b"MarkInfo",
        b"StructTreeRoot",
    ] {
        if !catalog.has(key) {
            problems.push(format!("catalog has no /{}", String::from_utf8_lossy(key)));
        }
    }
    let Ok(Object::Reference(root_id)) = catalog.get(b"StructTreeRoot") else {
        return problems;
    };
    let root = pdf.get_dictionary(*root_id).expect("structure tree root");
    let pages: Vec<ObjectId> = pdf.page_iter().collect();
    let page_set: HashSet<ObjectId> = pages.iter().copied().collect();

    let mut parent_tree: HashMap<i64, Object> = HashMap::new();
    if let Ok(tree) = root.get(b"ParentTree") {
        flatten(&pdf, tree, b"Nums", &mut |k, v| {
            if let Object::Integer(k) = k
                && parent_tree.insert(*k, v.clone()).is_some()
            {
                problems.push(format!("parent tree key {k} twice"));
            }
        });
    }
    let next_key = match root.get(b"ParentTreeNextKey") {
        Ok(Object::Integer(n)) => *n,
        _ => 0,
    };
    if let Some(max) = parent_tree.keys().max()
        && *max >= next_key
    {
        problems.push(format!(
            "parent tree key {max} >= ParentTreeNextKey {next_key}"
        ));
    }

    // Every element is reached from the root exactly once, and points back at its parent.
    let mut elements: HashMap<ObjectId, ObjectId> = HashMap::new();
    let mut stack: Vec<(ObjectId, ObjectId)> =
        kids(root).into_iter().map(|k| (k, *root_id)).collect();
    while let Some((id, parent)) = stack.pop() {
        let Ok(elem) = pdf.get_dictionary(id) else {
            continue;
        };
        if !elem.has_type(b"StructElem") {
            continue;
        }
        if elements.insert(id, parent).is_some() {
            problems.push(format!("element {id:?} reached twice"));
            continue;
        }
        match elem.get(b"P") {
            Ok(Object::Reference(p)) if *p == parent => {}
            other => problems.push(format!("element {id:?} has /P {other:?}, not {parent:?}")),
        }
        if let Ok(Object::Reference(pg)) = elem.get(b"Pg")
            && !page_set.contains(pg)
        {
            problems.push(format!(
                "element {id:?} is on {pg:?}, not a page of the document"
            ));
        }
        stack.extend(kids(elem).into_iter().map(|k| (k, id)));
    }
    for (&id, object) in &pdf.objects {
        if let Object::Dictionary(d) = object
            && d.has_type(b"StructElem")
            && !elements.contains_key(&id)
        {
            problems.push(format!("element {id:?} is not in the structure tree"));
        }
    }

    // Marked content on each page belongs to an element on that page.
    for &page in &pages {
        let dict = pdf.get_dictionary(page).expect("page");
        let content = String::from_utf8_lossy(&pdf.get_page_content(page)).into_owned();
        let mcids: Vec<usize> = content
            .match_indices("/MCID ")
            .filter_map(|(i, _)| {
                content[i + 6..]
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|n| n.parse().ok())
            })
            .collect();
        if mcids.is_empty() {
            continue;
        }
        let Ok(Object::Integer(key)) = dict.get(b"StructParents") else {
            problems.push(format!(
                "page {page:?} has marked content but no /StructParents"
            ));
            continue;
        };
        let Some(entry) = parent_tree.get(key) else {
            problems.push(format!("page {page:?}: key {key} not in the parent tree"));
            continue;
        };
        let array = match entry {
            Object::Array(a) => a.clone(),
            Object::Reference(id) => match pdf.get_object(*id) {
                Ok(Object::Array(a)) => a.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        for mcid in mcids {
            match array.get(mcid) {
                Some(Object::Reference(elem)) if elements.contains_key(elem) => {
                    let on_page = pdf.get_dictionary(*elem).is_ok_and(|e| {
                        matches!(e.get(b"Pg"), Ok(Object::Reference(pg)) if *pg == page)
                            || kids_pages(e).contains(&page)
                    });
                    if !on_page {
                        problems.push(format!(
                            "page {page:?} MCID {mcid}: element {elem:?} is not on this page"
                        ));
                    }
                }
                other => problems.push(format!(
                    "page {page:?} MCID {mcid}: parent tree has {other:?}"
                )),
            }
        }
    }

    // Annotations: tagged through the parent tree, links lead to pages of the document.
    for &page in &pages {
        let dict = pdf.get_dictionary(page).expect("page");
        let annots = match dict.get(b"Annots") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(Object::Reference(id)) => match pdf.get_object(*id) {
                Ok(Object::Array(a)) => a.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        for annot in annots {
            let Object::Reference(annot_id) = annot else {
                continue;
            };
            let a = pdf.get_dictionary(annot_id).expect("annotation");
            match a.get(b"StructParent") {
                Ok(Object::Integer(key)) => match parent_tree.get(key) {
                    Some(Object::Reference(elem)) if elements.contains_key(elem) => {
                        let has_objr = kids_objects(pdf.get_dictionary(*elem).expect("element"))
                            .contains(&annot_id);
                        if !has_objr {
                            problems.push(format!(
                                "annotation {annot_id:?}: its element does not refer to it"
                            ));
                        }
                    }
                    other => problems.push(format!(
                        "annotation {annot_id:?}: parent tree has {other:?}"
                    )),
                },
                _ => problems.push(format!("annotation {annot_id:?} has no /StructParent")),
            }
            if let Some(target) = destination_page(&pdf, a.get(b"Dest").ok())
                && !page_set.contains(&target)
            {
                problems.push(format!("link {annot_id:?} leads to {target:?}, not a page"));
            }
        }
    }

    // Ids are unique and every table-header reference resolves.
    let mut ids: HashMap<Vec<u8>, Object> = HashMap::new();
    if let Ok(tree) = root.get(b"IDTree") {
        flatten(&pdf, tree, b"Names", &mut |k, v| {
            if let Object::String(k, _) = k
                && ids.insert(k.clone(), v.clone()).is_some()
            {
                problems.push(format!("id {} twice", String::from_utf8_lossy(k)));
            }
        });
    }
    for &id in elements.keys() {
        let elem = pdf.get_dictionary(id).expect("element");
        if let Ok(Object::String(name, _)) = elem.get(b"ID")
            && ids.get(name) != Some(&Object::Reference(id))
        {
            problems.push(format!(
                "id {} does not lead to its element",
                String::from_utf8_lossy(name)
            ));
        }
        for header in headers(elem) {
            if !ids.contains_key(&header) {
                problems.push(format!(
                    "table header id {} unknown",
                    String::from_utf8_lossy(&header)
                ));
            }
        }
    }

    // Bookmarks lead to pages of the document.
    if let Ok(Object::Reference(outlines)) = catalog.get(b"Outlines") {
        let mut stack = vec![*outlines];
        let mut seen = HashSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Ok(item) = pdf.get_dictionary(id) else {
                problems.push(format!("bookmark {id:?} missing"));
                continue;
            };
            if let Some(target) = destination_page(&pdf, item.get(b"Dest").ok())
                && !page_set.contains(&target)
            {
                problems.push(format!("bookmark {id:?} leads to {target:?}, not a page"));
            }
            for key in [b"First".as_slice(), b"Next"] {
                if let Ok(Object::Reference(next)) = item.get(key) {
                    stack.push(*next);
                }
            }
        }
    }
    problems
}

/// Asserts [`structure_problems`] finds nothing.
pub(crate) fn assert_structure_sound(path: &Path) {
    let problems = structure_problems(path);
    assert!(
        problems.is_empty(),
        "{}: {} structure problem(s):\n{}",
        path.display(),
        problems.len(),
        problems.join("\n")
    );
}

fn flatten(pdf: &Document, node: &Object, leaf: &[u8], visit: &mut dyn FnMut(&Object, &Object)) {
    let dict = match node {
        Object::Dictionary(d) => d,
        Object::Reference(id) => match pdf.get_dictionary(*id) {
            Ok(d) => d,
            Err(_) => return,
        },
        _ => return,
    };
    if let Ok(Object::Array(items)) = dict.get(leaf) {
        for pair in items.chunks_exact(2) {
            visit(&pair[0], &pair[1]);
        }
    }
    if let Ok(Object::Array(children)) = dict.get(b"Kids") {
        for child in children {
            flatten(pdf, child, leaf, visit);
        }
    }
}

fn kid_objects(elem: &Dictionary) -> Vec<Object> {
    match elem.get(b"K") {
        Ok(Object::Array(items)) => items.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    }
}

/// The element children of an element (references), leaving out marked content and objects.
fn kids(elem: &Dictionary) -> Vec<ObjectId> {
    kid_objects(elem)
        .into_iter()
        .filter_map(|k| match k {
            Object::Reference(id) => Some(id),
            _ => None,
        })
        .collect()
}

/// Pages named by an element's marked-content references.
fn kids_pages(elem: &Dictionary) -> Vec<ObjectId> {
    kid_objects(elem)
        .into_iter()
        .filter_map(|k| match k {
            Object::Dictionary(d) => match d.get(b"Pg") {
                Ok(Object::Reference(pg)) => Some(*pg),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Objects named by an element's object references (`/OBJR`).
fn kids_objects(elem: &Dictionary) -> Vec<ObjectId> {
    kid_objects(elem)
        .into_iter()
        .filter_map(|k| match k {
            Object::Dictionary(d) if d.has_type(b"OBJR") => match d.get(b"Obj") {
                Ok(Object::Reference(obj)) => Some(*obj),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn headers(elem: &Dictionary) -> Vec<Vec<u8>> {
    let attributes = match elem.get(b"A") {
        Ok(Object::Array(items)) => items.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    };
    attributes
        .into_iter()
        .filter_map(|a| match a {
            Object::Dictionary(d) => match d.get(b"Headers") {
                Ok(Object::Array(h)) => Some(h.clone()),
                _ => None,
            },
            _ => None,
        })
        .flatten()
        .filter_map(|h| match h {
            Object::String(s, _) => Some(s),
            _ => None,
        })
        .collect()
}

fn destination_page(pdf: &Document, dest: Option<&Object>) -> Option<ObjectId> {
    let array = match dest? {
        Object::Array(a) => a.clone(),
        Object::Reference(id) => match pdf.get_object(*id).ok()? {
            Object::Array(a) => a.clone(),
            _ => return None,
        },
        _ => return None,
    };
    match array.first()? {
        Object::Reference(page) => Some(*page),
        _ => None,
    }
}

#[test]
fn profiles_and_books_keep_a_sound_tagged_structure() {
    let project = TestProject::with_samples();
    let run = project.run(&["render"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for rel in [
        "out/2022/kyrgyzstan.pdf",
        "out/2023/norway.pdf",
        "out/book-2022.pdf",
        "out/book-2023.pdf",
    ] {
        assert_structure_sound(&project.path().join(rel));
    }
}

#[test]
fn the_structure_check_catches_a_part_merged_without_renumbering() {
    // A book whose second profile kept its own parent-tree keys: its pages point at the
    // first profile's entries, whose elements are on other pages.
    let project = TestProject::with_samples();
    assert_eq!(project.run(&["render", "profiles/2022"]).code, 0);
    let path = project.path().join("out/book-2022.pdf");
    let mut pdf = Document::load(&path).unwrap();
    let pages: Vec<ObjectId> = pdf.page_iter().collect();
    let numbered: Vec<ObjectId> = pages
        .iter()
        .copied()
        .filter(|p| pdf.get_dictionary(*p).unwrap().has(b"StructParents"))
        .collect();
    let first = match pdf
        .get_dictionary(numbered[2])
        .unwrap()
        .get(b"StructParents")
    {
        Ok(Object::Integer(n)) => *n,
        _ => unreachable!(),
    };
    let last = *numbered.last().unwrap();
    pdf.get_dictionary_mut(last)
        .unwrap()
        .set("StructParents", Object::Integer(first));
    let broken = project.path().join("broken.pdf");
    pdf.save(&broken).unwrap();
    let problems = structure_problems(&broken);
    assert!(
        problems.iter().any(|p| p.contains("is not on this page")),
        "{problems:?}"
    );
}

#[test]
fn a_generated_edition_book_keeps_a_sound_tagged_structure() {
    // Twelve generated profiles of varied length: odd page counts (blank pages), several
    // contents entries, many tables and footnotes to renumber.
    let project = TestProject::with_generated_edition();
    let run = project.run(&["--project", "corpus", "render", "--out", "corpus/out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = project.book_in("corpus/out");
    assert_structure_sound(&book);
}

#[test]
fn one_page_profiles_are_padded_so_each_starts_on_a_right_hand_page() {
    let project = TestProject::empty();
    for (country, iso) in [("Alphaland", "AL"), ("Betaland", "BE"), ("Gammaland", "GA")] {
        project.file(
            &format!("profiles/2023/{}.toml", country.to_lowercase()),
            &crate::support::minimal_record(country, iso, 2023, "summary = \"A short profile.\"\n"),
        );
    }
    let run = project.run(&["render"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = project.path().join("out/book-2023.pdf");
    assert_structure_sound(&book);
    let pdf = Document::load(&book).unwrap();
    let pages: Vec<ObjectId> = pdf.page_iter().collect();
    // Cover, blank, contents, blank; then each one-page profile and a blank page.
    assert_eq!(pages.len(), 4 + 3 * 2, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate().skip(4) {
        let content = pdf.get_page_content(*page);
        let shows_text = content.windows(2).any(|w| w == b"Tj" || w == b"TJ");
        assert_eq!(shows_text, i % 2 == 0, "page {}", i + 1);
    }
    // The contents' links, from the top of the page down, lead to each profile's first page.
    let contents = pdf.get_dictionary(pages[2]).unwrap();
    let Ok(Object::Array(annots)) = contents.get(b"Annots") else {
        panic!("no links on the contents page");
    };
    let mut links: Vec<(f32, ObjectId)> = annots
        .iter()
        .map(|annot| {
            let annot = pdf.get_dictionary(annot.as_reference().unwrap()).unwrap();
            assert!(
                annot.get(b"A").is_err(),
                "a link left with its action: {annot:?}"
            );
            let top = annot.get(b"Rect").unwrap().as_array().unwrap()[3]
                .as_float()
                .unwrap();
            let target = destination_page(&pdf, annot.get(b"Dest").ok()).expect("a destination");
            (top, target)
        })
        .collect();
    links.sort_by(|a, b| b.0.total_cmp(&a.0));
    let targets: Vec<ObjectId> = links.into_iter().map(|(_, target)| target).collect();
    assert_eq!(targets, [pages[4], pages[6], pages[8]]);
}

/// The kind (`/S`) of each element directly under the PDF's `Document` element, in order,
/// with how many marked-content sequences each holds itself.
fn document_children(path: &Path) -> Vec<(String, usize)> {
    let pdf = Document::load(path).expect("a readable PDF");
    let catalog = pdf.catalog().expect("a catalog");
    let Ok(Object::Reference(root)) = catalog.get(b"StructTreeRoot") else {
        panic!("no structure tree");
    };
    let root = pdf.get_dictionary(*root).expect("the structure tree root");
    let document = pdf
        .get_dictionary(kids(root)[0])
        .expect("the Document element");
    kids(document)
        .into_iter()
        .map(|id| {
            let elem = pdf.get_dictionary(id).expect("an element");
            let kind = elem.get(b"S").and_then(Object::as_name).unwrap_or(b"?");
            let marked = kid_objects(elem)
                .iter()
                .filter(|k| matches!(k, Object::Integer(_)))
                .count();
            (String::from_utf8_lossy(kind).into_owned(), marked)
        })
        .collect()
}

#[test]
fn each_key_fact_is_one_paragraph_of_label_and_value() {
    let project = TestProject::with_samples();
    let record = "profiles/2023/examplestan.mine-action.toml";
    let run = project.run(&["render", record, "--no-book"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let children = document_children(&project.path().join("out/2023/examplestan.mine-action.pdf"));
    // Its four key facts (Mine Ban Treaty, Article 5 deadline, extensions, on track): four
    // paragraphs in a row, each holding its label and its value, and no grid of cells.
    let facts = children
        .windows(4)
        .any(|w| w.iter().all(|(kind, marked)| kind == "P" && *marked == 2));
    assert!(facts, "{children:?}");
    // Nothing above the first section is a grid's cells (a `Div` of them).
    let mut head = children.iter().take_while(|(kind, _)| kind != "H2");
    assert!(!head.any(|(kind, _)| kind == "Div"), "{children:?}");
}
