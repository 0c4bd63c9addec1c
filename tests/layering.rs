//! Layers point one way: `domain` (pure) <- `store`, `pdf` <- `app` <- `cli`, `ui` <- `main.rs`.
//!
//! This test parses every file of `src/` with `syn`, resolves every `use` (grouped, nested,
//! renamed, `crate::`, `self::`, `super::`, names brought in by an earlier `use`) and every
//! path of two or more segments in expressions, types, patterns and macro arguments to the
//! module or external crate it names, and checks it against [`LAYERS`], the one allow-list.
//! `ARCHITECTURE.md` prints the same table (checked by `architecture_md_prints_the_layer_table`).
//! It also builds the module graph from the same parse and refuses any import cycle.
//!
//! What it does not see, on purpose: items under `#[cfg(test)]` (test code may reach across
//! layers to set up fixtures), method calls (they carry no path), and attribute arguments.
//! The checker's own tests at the end run it on small bad samples, so a rule that stopped
//! biting would fail here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    reason = "tests and benchmarks fail loudly by design"
)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use syn::visit::Visit;

/// One row of the allow-list.
struct Layer {
    /// The top-level module (or `main`, the binary).
    name: &'static str,
    /// Where it lives.
    path: &'static str,
    /// The other layers it may name.
    may_use: &'static [&'static str],
    /// The external crates it may name (`std`, `core` and `alloc` are always allowed,
    /// minus `std_forbidden`).
    crates: &'static [&'static str],
    /// Parts of `std` it must not name (the filesystem, the clock, the process).
    std_forbidden: &'static [&'static str],
}

/// The one allow-list. Change it here; `ARCHITECTURE.md` must print the same table.
const LAYERS: &[Layer] = &[
    Layer {
        name: "domain",
        path: "src/domain",
        may_use: &[],
        crates: &[
            "serde",
            "toml",
            "unicode_normalization",
            "thiserror",
            "sha2",
            "icu_collator",
            "icu_locale_core",
        ],
        std_forbidden: &[
            "std::fs",
            "std::env",
            "std::process",
            "std::net",
            "std::thread",
            "std::time::SystemTime",
            "std::time::Instant",
        ],
    },
    Layer {
        name: "store",
        path: "src/store",
        may_use: &["domain"],
        crates: &[
            "rusqlite",
            "serde",
            "serde_json",
            "sha2",
            "thiserror",
            "same_file",
        ],
        std_forbidden: &[],
    },
    Layer {
        name: "pdf",
        path: "src/pdf",
        may_use: &["domain"],
        crates: &[
            "printpdf",
            "lopdf",
            "image",
            // libjpeg-turbo (MozJPEG's build): photos decoded at reduced scale, re-encoded.
            "mozjpeg",
            "mozjpeg_sys",
            "subsetter",
            "sha2",
            "thiserror",
            "unicode_normalization",
        ],
        std_forbidden: &[],
    },
    Layer {
        name: "app",
        path: "src/app",
        may_use: &["domain", "store", "pdf"],
        crates: &[
            "serde",
            "serde_json",
            "toml",
            "calamine",
            "csv",
            "rust_xlsxwriter",
            "sha2",
            "thiserror",
            "time",
            "directories",
            "same_file",
            "ed25519_dalek",
            "getrandom",
            "zip",
            "libc",
            "windows_sys",
        ],
        std_forbidden: &[],
    },
    Layer {
        name: "cli",
        path: "src/cli",
        may_use: &["app", "domain"],
        crates: &["clap", "serde", "serde_json"],
        std_forbidden: &[],
    },
    Layer {
        name: "ui",
        path: "src/ui",
        may_use: &["app", "domain"],
        crates: &["egui", "eframe", "rfd"],
        std_forbidden: &[],
    },
    Layer {
        name: "main",
        path: "src/main.rs",
        may_use: &["app", "cli", "ui"],
        crates: &[],
        std_forbidden: &[],
    },
    Layer {
        name: "lib",
        path: "src/lib.rs",
        may_use: &[],
        crates: &[],
        std_forbidden: &[],
    },
];

/// Import cycles another branch is removing, with why; each must still be found (so its row
/// goes when the cycle does). Any other cycle fails the test.
const CYCLES_BEING_REMOVED: &[(&str, &str, &str)] = &[];

/// Always-present crates.
const STD: &[&str] = &["std", "core", "alloc"];

/// The name the binary uses for the library.
const LIB_NAME: &str = "ntm_dossier";

/// The allow-list as the Markdown table `ARCHITECTURE.md` prints.
fn layer_table() -> String {
    let mut out = String::from(
        "| layer | path | may use (layers) | may use (external crates) | must not use |\n|---|---|---|---|---|\n",
    );
    let list = |items: &[&str]| {
        if items.is_empty() {
            "—".to_string()
        } else {
            items
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    for l in LAYERS {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            l.name,
            l.path,
            list(l.may_use),
            list(l.crates),
            list(l.std_forbidden)
        ));
    }
    out
}

/// The longest a file of `src/` may be, its test module (`#[cfg(test)]` at the end) not
/// counted.
const MAX_FILE_LINES: usize = 500;

/// Files still over [`MAX_FILE_LINES`], with why; each must still be over (so its row goes
/// when it is split). Any other long file fails the test.
const LONG_FILES_BEING_SPLIT: &[(&str, &str)] = &[];

// ---------------------------------------------------------------------------------------
// The checker

/// A source file: its path relative to the package (`src/app/mod.rs`) and its text.
struct Source {
    path: String,
    text: String,
}

/// Where a path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Res {
    /// A path inside the library (`crate::` stripped).
    Internal(Vec<String>),
    /// An external crate and the whole path.
    External(String, Vec<String>),
    /// Something defined right here (a type, a variant, a generic).
    Local,
    /// Nothing the checker can name.
    Unknown,
}

/// One resolved reference.
#[derive(Debug)]
struct Ref {
    file: String,
    line: usize,
    /// The module it is written in (`[]` is the crate root).
    from: Vec<String>,
    main: bool,
    res: Res,
    text: String,
}

/// A module's own items (inline test modules left out).
struct Scope {
    file: String,
    main: bool,
    module: Vec<String>,
    items: Vec<syn::Item>,
}

/// What the parse found.
struct Analysis {
    refs: Vec<Ref>,
    unresolved: Vec<String>,
    modules: BTreeSet<Vec<String>>,
}

fn module_of_file(path: &str) -> Option<(Vec<String>, bool)> {
    let rel = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    if rel == "main" {
        return Some((Vec::new(), true));
    }
    if rel == "lib" {
        return Some((Vec::new(), false));
    }
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    Some((parts, false))
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let tokens = a
                .meta
                .require_list()
                .map(|l| l.tokens.to_string())
                .unwrap_or_default();
            tokens == "test" || tokens.starts_with("all (test")
        }
    })
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    use syn::Item::*;
    match item {
        Const(i) => &i.attrs,
        Enum(i) => &i.attrs,
        ExternCrate(i) => &i.attrs,
        Fn(i) => &i.attrs,
        ForeignMod(i) => &i.attrs,
        Impl(i) => &i.attrs,
        Macro(i) => &i.attrs,
        Mod(i) => &i.attrs,
        Static(i) => &i.attrs,
        Struct(i) => &i.attrs,
        Trait(i) => &i.attrs,
        TraitAlias(i) => &i.attrs,
        Type(i) => &i.attrs,
        Union(i) => &i.attrs,
        Use(i) => &i.attrs,
        _ => &[],
    }
}

fn item_name(item: &syn::Item) -> Option<String> {
    use syn::Item::*;
    let ident = match item {
        Const(i) => &i.ident,
        Enum(i) => &i.ident,
        Fn(i) => &i.sig.ident,
        Mod(i) => &i.ident,
        Static(i) => &i.ident,
        Struct(i) => &i.ident,
        Trait(i) => &i.ident,
        Type(i) => &i.ident,
        Union(i) => &i.ident,
        Macro(i) => i.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}

fn collect_scopes(
    file: &str,
    main: bool,
    module: Vec<String>,
    items: &[syn::Item],
    out: &mut Vec<Scope>,
) {
    let mut own = Vec::new();
    for item in items {
        if is_cfg_test(item_attrs(item)) {
            continue;
        }
        if let syn::Item::Mod(m) = item
            && let Some((_, inner)) = &m.content
        {
            let mut child = module.clone();
            child.push(m.ident.to_string());
            collect_scopes(file, main, child, inner, out);
            continue;
        }
        own.push(item.clone());
    }
    out.push(Scope {
        file: file.to_string(),
        main,
        module,
        items: own,
    });
}

/// A `use` tree flattened: the path, and the name it binds (`None` for a glob).
fn flatten_use(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                out.push((prefix.clone(), prefix.last().cloned()));
            } else {
                let mut path = prefix.clone();
                path.push(name.clone());
                out.push((path, Some(name)));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            let name = r.ident.to_string();
            if name != "self" {
                path.push(name);
            }
            out.push((path, Some(r.rename.to_string())));
        }
        syn::UseTree::Glob(_) => out.push((prefix.clone(), None)),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, out);
            }
        }
    }
}

/// Every `use` in a scope, including those inside function bodies.
#[derive(Default)]
struct UseCollector {
    uses: Vec<(Vec<String>, Option<String>, usize, bool)>,
}

impl<'a> Visit<'a> for UseCollector {
    fn visit_item_use(&mut self, u: &'a syn::ItemUse) {
        let mut flat = Vec::new();
        flatten_use(&u.tree, &mut Vec::new(), &mut flat);
        let line = u.use_token.span.start().line;
        let leading = u.leading_colon.is_some();
        for (path, name) in flat {
            self.uses.push((path, name, line, leading));
        }
    }
    fn visit_item_mod(&mut self, _: &'a syn::ItemMod) {}
}

/// Every path of two or more segments outside `use` items.
#[derive(Default)]
struct PathCollector {
    paths: Vec<(Vec<String>, usize, bool)>,
}

impl<'a> Visit<'a> for PathCollector {
    fn visit_path(&mut self, p: &'a syn::Path) {
        if p.segments.len() >= 2 || p.leading_colon.is_some() {
            let segs = p.segments.iter().map(|s| s.ident.to_string()).collect();
            let line = p
                .segments
                .first()
                .map_or(0, |s| s.ident.span().start().line);
            self.paths.push((segs, line, p.leading_colon.is_some()));
        }
        syn::visit::visit_path(self, p);
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        syn::visit::visit_macro(self, m);
        // Most macros (format!, vec!, assert!, write!) take expressions separated by commas.
        let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(exprs) = m.parse_body_with(parser) {
            for e in &exprs {
                self.visit_expr(e);
            }
        }
    }
    fn visit_item_use(&mut self, _: &'a syn::ItemUse) {}
    fn visit_item_mod(&mut self, _: &'a syn::ItemMod) {}
}

struct Resolver<'a> {
    modules: &'a BTreeSet<Vec<String>>,
    externs: &'a BTreeSet<String>,
}

impl Resolver<'_> {
    fn resolve(
        &self,
        module: &[String],
        main: bool,
        segs: &[String],
        leading_colon: bool,
        aliases: &HashMap<String, Res>,
        locals: &BTreeSet<String>,
    ) -> Res {
        let Some(first) = segs.first() else {
            return Res::Unknown;
        };
        let rest = &segs[1..];
        let internal = |base: &[String]| {
            let mut p = base.to_vec();
            p.extend(rest.iter().cloned());
            Res::Internal(p)
        };
        if leading_colon {
            if main && first == LIB_NAME {
                return internal(&[]);
            }
            return Res::External(first.clone(), segs.to_vec());
        }
        match first.as_str() {
            "crate" if !main => return internal(&[]),
            "self" if !main => return internal(module),
            "super" if !main => {
                let mut base = module.to_vec();
                let mut i = 0;
                while segs.get(i).is_some_and(|s| s == "super") {
                    if base.pop().is_none() {
                        return Res::Unknown;
                    }
                    i += 1;
                }
                let mut p = base;
                p.extend(segs[i..].iter().cloned());
                return Res::Internal(p);
            }
            "Self" => return Res::Local,
            _ => {}
        }
        if main && first == LIB_NAME {
            return internal(&[]);
        }
        if !main {
            let mut child = module.to_vec();
            child.push(first.clone());
            if self.modules.contains(&child) {
                return Res::Internal([child, rest.to_vec()].concat());
            }
        }
        if let Some(target) = aliases.get(first) {
            return match target {
                Res::Internal(p) => Res::Internal([p.clone(), rest.to_vec()].concat()),
                Res::External(c, p) => {
                    Res::External(c.clone(), [p.clone(), rest.to_vec()].concat())
                }
                other => other.clone(),
            };
        }
        if locals.contains(first) {
            return Res::Local;
        }
        if self.externs.contains(first) || STD.contains(&first.as_str()) {
            return Res::External(first.clone(), segs.to_vec());
        }
        Res::Unknown
    }
}

/// The external crates the package may name: its `[dependencies]` and `[dev-dependencies]`,
/// platform-specific ones included.
fn extern_crates() -> BTreeSet<String> {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("Cargo.toml");
    let table: toml::Table = manifest.parse().expect("Cargo.toml parses");
    let mut tables = vec![&table];
    // Platform-specific dependencies (`[target.'cfg(windows)'.dependencies]`) count too.
    if let Some(targets) = table.get("target").and_then(|t| t.as_table()) {
        tables.extend(targets.values().filter_map(|t| t.as_table()));
    }
    let mut out = BTreeSet::new();
    for t in tables {
        for section in ["dependencies", "dev-dependencies"] {
            if let Some(deps) = t.get(section).and_then(|d| d.as_table()) {
                out.extend(deps.keys().map(|k| k.replace('-', "_")));
            }
        }
    }
    out
}

fn analyse(sources: &[Source], externs: &BTreeSet<String>) -> Analysis {
    let mut scopes = Vec::new();
    let mut unresolved = Vec::new();
    for s in sources {
        let Some((module, main)) = module_of_file(&s.path) else {
            unresolved.push(format!("{}: not a source file of src/", s.path));
            continue;
        };
        match syn::parse_file(&s.text) {
            Ok(f) => collect_scopes(&s.path, main, module, &f.items, &mut scopes),
            Err(e) => unresolved.push(format!("{}: does not parse: {e}", s.path)),
        }
    }
    let mut modules: BTreeSet<Vec<String>> = BTreeSet::new();
    for sc in scopes.iter().filter(|s| !s.main) {
        let mut m = sc.module.clone();
        while !m.is_empty() {
            modules.insert(m.clone());
            m.pop();
        }
        for item in &sc.items {
            if let syn::Item::Mod(md) = item {
                let mut child = sc.module.clone();
                child.push(md.ident.to_string());
                modules.insert(child);
            }
        }
    }
    let resolver = Resolver {
        modules: &modules,
        externs,
    };
    let mut refs = Vec::new();
    for sc in &scopes {
        let locals: BTreeSet<String> = sc.items.iter().filter_map(item_name).collect();
        let mut uses = UseCollector::default();
        for item in &sc.items {
            uses.visit_item(item);
        }
        // A `use` may start with a name an earlier `use` brought in: resolve in rounds.
        let mut aliases: HashMap<String, Res> = HashMap::new();
        let mut pending = uses.uses;
        for _round in 0..4 {
            let mut left = Vec::new();
            for (path, name, line, leading) in pending {
                let res = resolver.resolve(&sc.module, sc.main, &path, leading, &aliases, &locals);
                if res == Res::Unknown {
                    left.push((path, name, line, leading));
                    continue;
                }
                if let Some(n) = &name
                    && res != Res::Local
                {
                    aliases.insert(n.clone(), res.clone());
                }
                refs.push(Ref {
                    file: sc.file.clone(),
                    line,
                    from: sc.module.clone(),
                    main: sc.main,
                    res,
                    text: format!("use {}", path.join("::")),
                });
            }
            pending = left;
        }
        for (path, _, line, _) in pending {
            unresolved.push(format!(
                "{}:{line}: use {} names nothing known",
                sc.file,
                path.join("::")
            ));
        }
        let mut paths = PathCollector::default();
        for item in &sc.items {
            paths.visit_item(item);
        }
        for (path, line, leading) in paths.paths {
            let res = resolver.resolve(&sc.module, sc.main, &path, leading, &aliases, &locals);
            if matches!(res, Res::Internal(_) | Res::External(..)) {
                refs.push(Ref {
                    file: sc.file.clone(),
                    line,
                    from: sc.module.clone(),
                    main: sc.main,
                    res,
                    text: path.join("::"),
                });
            }
        }
    }
    Analysis {
        refs,
        unresolved,
        modules,
    }
}

fn layer_name(module: &[String], main: bool) -> &str {
    if main {
        "main"
    } else {
        module.first().map_or("lib", String::as_str)
    }
}

/// Every reference a layer's row does not allow.
fn violations(a: &Analysis) -> Vec<String> {
    let rows: HashMap<&str, &Layer> = LAYERS.iter().map(|l| (l.name, l)).collect();
    let mut out: Vec<String> = a.unresolved.clone();
    for r in &a.refs {
        let from = layer_name(&r.from, r.main);
        let Some(row) = rows.get(from) else {
            out.push(format!(
                "{}:{}: module «{from}» has no row in the layer table",
                r.file, r.line
            ));
            continue;
        };
        match &r.res {
            Res::Internal(p) => {
                let to = layer_name(p, false);
                if to != from && !row.may_use.contains(&to) {
                    out.push(format!(
                        "{}:{}: {from} → {to} ({}) is not in the layer table",
                        r.file, r.line, r.text
                    ));
                }
            }
            Res::External(c, p) => {
                if STD.contains(&c.as_str()) {
                    let joined = p.join("::");
                    for f in row.std_forbidden {
                        if joined == *f || joined.starts_with(&format!("{f}::")) {
                            out.push(format!(
                                "{}:{}: {from} must not use {f} ({})",
                                r.file, r.line, r.text
                            ));
                        }
                    }
                } else if !row.crates.contains(&c.as_str()) {
                    out.push(format!(
                        "{}:{}: {from} → crate {c} ({}) is not in the layer table",
                        r.file, r.line, r.text
                    ));
                }
            }
            Res::Local | Res::Unknown => {}
        }
    }
    out
}

/// The module a path lands in: its longest prefix that is a module.
fn owning_module(modules: &BTreeSet<Vec<String>>, path: &[String]) -> Vec<String> {
    let mut p = path.to_vec();
    while !p.is_empty() && !modules.contains(&p) {
        p.pop();
    }
    p
}

/// Groups of modules that import each other (directly or around a loop). A module and its
/// ancestors are one family (a child uses its parent's error type; a parent re-exports its
/// children), so those edges are left out.
fn cycles(a: &Analysis) -> Vec<Vec<String>> {
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    let mut why: BTreeMap<(Vec<String>, Vec<String>), String> = BTreeMap::new();
    for r in a.refs.iter().filter(|r| !r.main) {
        let Res::Internal(p) = &r.res else { continue };
        let to = owning_module(&a.modules, p);
        if to.starts_with(&r.from) || r.from.starts_with(&to) {
            continue;
        }
        graph.entry(r.from.clone()).or_default().insert(to.clone());
        why.entry((r.from.clone(), to))
            .or_insert_with(|| format!("{}:{} {}", r.file, r.line, r.text));
    }
    // Tarjan's strongly connected components.
    struct State<'g> {
        graph: &'g BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: HashMap<Vec<String>, usize>,
        low: HashMap<Vec<String>, usize>,
        stack: Vec<Vec<String>>,
        on_stack: BTreeSet<Vec<String>>,
        next: usize,
        found: Vec<Vec<Vec<String>>>,
    }
    fn visit(s: &mut State<'_>, v: &Vec<String>) {
        s.index.insert(v.clone(), s.next);
        s.low.insert(v.clone(), s.next);
        s.next += 1;
        s.stack.push(v.clone());
        s.on_stack.insert(v.clone());
        let next: Vec<Vec<String>> = s
            .graph
            .get(v)
            .map(|n| n.iter().cloned().collect())
            .unwrap_or_default();
        for w in &next {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v.clone(), lv.min(lw));
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v.clone(), lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(&w);
                let done = &w == v;
                group.push(w);
                if done {
                    break;
                }
            }
            if group.len() > 1 {
                s.found.push(group);
            }
        }
    }
    let mut s = State {
        graph: &graph,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    let nodes: Vec<Vec<String>> = graph.keys().cloned().collect();
    for v in &nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.found
        .into_iter()
        .map(|group| {
            let members: BTreeSet<&Vec<String>> = group.iter().collect();
            let mut lines: Vec<String> = why
                .iter()
                .filter(|((f, t), _)| members.contains(f) && members.contains(t))
                .map(|((f, t), w)| format!("{} → {} ({w})", f.join("::"), t.join("::")))
                .collect();
            lines.sort();
            lines
        })
        .collect()
}

fn read_sources(dir: &Path, root: &Path, out: &mut Vec<Source>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .expect("under the package")
                .to_string_lossy()
                .replace('\\', "/");
            out.push(Source {
                path: rel,
                text: std::fs::read_to_string(&path).expect("source is text"),
            });
        }
    }
}

fn package_sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    read_sources(&root.join("src"), root, &mut out);
    out
}

// ---------------------------------------------------------------------------------------
// The rules, on the real sources

#[test]
fn the_sources_keep_their_layers() {
    let sources = package_sources();
    let analysis = analyse(&sources, &extern_crates());
    // The checker must have seen the code: hundreds of references across every layer.
    assert!(
        analysis.refs.len() > 500,
        "only {} references found",
        analysis.refs.len()
    );
    for layer in LAYERS {
        assert!(
            analysis
                .refs
                .iter()
                .any(|r| layer_name(&r.from, r.main) == layer.name)
                || layer.name == "lib",
            "no reference found in layer {}",
            layer.name
        );
    }
    let problems = violations(&analysis);
    assert!(
        problems.is_empty(),
        "layer violations:\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let analysis = analyse(&package_sources(), &extern_crates());
    let found = cycles(&analysis);
    let is_known = |cycle: &Vec<String>| {
        CYCLES_BEING_REMOVED.iter().any(|(a, b, _)| {
            cycle.len() == 2
                && cycle.iter().any(|l| l.starts_with(&format!("{a} → {b} ")))
                && cycle.iter().any(|l| l.starts_with(&format!("{b} → {a} ")))
        })
    };
    let unknown: Vec<&Vec<String>> = found.iter().filter(|c| !is_known(c)).collect();
    assert!(
        unknown.is_empty(),
        "import cycles:\n{}",
        unknown
            .iter()
            .map(|c| c.join("\n  "))
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    for (a, b, why) in CYCLES_BEING_REMOVED {
        assert!(
            found
                .iter()
                .any(|c| is_known(c) && c.iter().any(|l| l.starts_with(&format!("{a} → {b} ")))),
            "the cycle {a} ↔ {b} is gone ({why}): remove its row from CYCLES_BEING_REMOVED"
        );
    }
}

#[test]
fn architecture_md_prints_the_layer_table() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .expect("ARCHITECTURE.md");
    let table = layer_table();
    assert!(
        doc.contains(&table),
        "ARCHITECTURE.md must print the layer table of tests/layering.rs exactly:\n{table}"
    );
}

#[test]
fn the_layer_table_points_one_way() {
    // Every layer named exists, and following «may use» never comes back to the start.
    let rows: HashMap<&str, &Layer> = LAYERS.iter().map(|l| (l.name, l)).collect();
    fn reaches(rows: &HashMap<&str, &Layer>, from: &str, target: &str, depth: usize) -> bool {
        depth < 16
            && rows[from]
                .may_use
                .iter()
                .any(|n| *n == target || reaches(rows, n, target, depth + 1))
    }
    for l in LAYERS {
        for n in l.may_use {
            assert!(rows.contains_key(n), "{} names unknown layer {n}", l.name);
        }
        assert!(
            !reaches(&rows, l.name, l.name, 0),
            "{} reaches itself",
            l.name
        );
    }
}

/// Lines of a file before its test module.
fn code_lines(text: &str) -> usize {
    text.lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .count()
}

#[test]
fn files_do_one_thing_and_stay_short() {
    let mut too_long = Vec::new();
    for s in package_sources() {
        let n = code_lines(&s.text);
        let known = LONG_FILES_BEING_SPLIT.iter().find(|(p, _)| *p == s.path);
        if n > MAX_FILE_LINES && known.is_none() {
            too_long.push(format!("{}: {n} lines", s.path));
        }
        if let Some((_, why)) = known {
            assert!(
                n > MAX_FILE_LINES,
                "{} is short now ({why}): remove its row from LONG_FILES_BEING_SPLIT",
                s.path
            );
        }
    }
    assert!(
        too_long.is_empty(),
        "over {MAX_FILE_LINES} lines (tests not counted):\n{}",
        too_long.join("\n")
    );
}

#[test]
fn code_lines_stop_at_the_test_module() {
    assert_eq!(code_lines("a\nb\n#[cfg(test)]\nmod tests {\n}\n"), 2);
    assert_eq!(code_lines("a\nb\n"), 2);
}

#[test]
fn main_is_thin() {
    let main = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs"))
        .expect("main.rs");
    assert!(main.lines().count() < 40);
}

// ---------------------------------------------------------------------------------------
// The checker's own tests, on small samples

const SAMPLE_LIB: (&str, &str) = (
    "src/lib.rs",
    "pub mod app; pub mod cli; pub mod domain; pub mod pdf; pub mod store; pub mod ui;",
);

fn check(files: &[(&str, &str)]) -> Vec<String> {
    let mut sources: Vec<Source> = vec![Source {
        path: SAMPLE_LIB.0.into(),
        text: SAMPLE_LIB.1.into(),
    }];
    for layer in ["app", "cli", "domain", "pdf", "store", "ui"] {
        let path = format!("src/{layer}/mod.rs");
        if !files.iter().any(|(p, _)| *p == path) {
            sources.push(Source {
                path,
                text: String::new(),
            });
        }
    }
    sources.extend(files.iter().map(|(p, t)| Source {
        path: (*p).into(),
        text: (*t).into(),
    }));
    violations(&analyse(&sources, &extern_crates()))
}

fn assert_refused(files: &[(&str, &str)], expected: &str) {
    let problems = check(files);
    assert!(
        problems.iter().any(|p| p.contains(expected)),
        "expected a violation «{expected}», got {problems:?}"
    );
}

#[test]
fn checker_passes_a_clean_sample() {
    let problems = check(&[
        (
            "src/domain/mod.rs",
            "pub mod ids; pub struct Code(pub String);",
        ),
        (
            "src/domain/ids.rs",
            "use std::collections::BTreeMap; pub struct Id(pub i64); pub type M = BTreeMap<i64, Id>;",
        ),
        (
            "src/store/mod.rs",
            "use crate::domain::ids::Id; use rusqlite::Connection; pub struct Workspace { pub conn: Connection, pub id: Id }",
        ),
        (
            "src/app/mod.rs",
            "pub mod units; use crate::{domain::{self, ids::Id}, store::Workspace}; pub fn f(_: &Workspace, _: Id, _: domain::Code) {}",
        ),
        (
            "src/app/units.rs",
            "use super::f; pub fn g() { let _ = super::super::domain::Code(String::new()); }",
        ),
        (
            "src/cli/mod.rs",
            "use crate::app; pub fn run() { app::units::g(); let _ = clap::ArgAction::Set; }",
        ),
        (
            "src/ui/mod.rs",
            "pub fn show(ui: &mut egui::Ui) { crate::app::units::g(); let _ = ui; }",
        ),
        (
            "src/main.rs",
            "fn main() { ntm_dossier::cli::run(); std::process::exit(0); }",
        ),
    ]);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn checker_refuses_ui_using_cli() {
    assert_refused(
        &[
            ("src/cli/mod.rs", "pub const EXIT_FAILURE: i32 = 1;"),
            (
                "src/ui/mod.rs",
                "pub fn run() -> i32 { crate::cli::EXIT_FAILURE }",
            ),
        ],
        "ui → cli",
    );
}

#[test]
fn checker_refuses_cli_using_store() {
    assert_refused(
        &[
            ("src/store/mod.rs", "pub struct Workspace;"),
            (
                "src/cli/commands.rs",
                "pub fn units(ws: &mut crate::store::Workspace) { let _ = ws; }",
            ),
            ("src/cli/mod.rs", "mod commands;"),
        ],
        "cli → store",
    );
}

#[test]
fn checker_refuses_ui_using_store_record_types() {
    assert_refused(
        &[
            ("src/store/mod.rs", "pub struct UnitRecord;"),
            ("src/ui/mod.rs", "mod walk;"),
            (
                "src/ui/walk.rs",
                "use super::super::store::UnitRecord; pub fn f(_: &UnitRecord) {}",
            ),
        ],
        "ui → store",
    );
}

#[test]
fn checker_refuses_grouped_and_nested_imports() {
    assert_refused(
        &[("src/ui/mod.rs", "use crate::{app, store};")],
        "ui → store (use crate::store)",
    );
    assert_refused(
        &[(
            "src/ui/mod.rs",
            "use crate::{app::{self}, domain::{ids::{Id}}, cli::{self as c}};",
        )],
        "ui → cli",
    );
}

#[test]
fn checker_follows_a_renamed_or_imported_module_into_expressions() {
    assert_refused(
        &[(
            "src/ui/mod.rs",
            "use crate::store as s; pub fn f() { s::open(); }",
        )],
        "ui → store",
    );
    assert_refused(
        &[(
            "src/cli/mod.rs",
            "pub fn f() { let _ = format!(\"{}\", crate::store::VERSION); }",
        )],
        "cli → store",
    );
}

#[test]
fn checker_refuses_a_forbidden_crate_in_each_layer() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "src/domain/mod.rs",
            "use rusqlite::Connection;",
            "domain → crate rusqlite",
        ),
        (
            "src/domain/mod.rs",
            "pub fn f() -> String { std::fs::read_to_string(\"x\").unwrap_or_default() }",
            "domain must not use std::fs",
        ),
        (
            "src/domain/mod.rs",
            "use std::time::SystemTime;",
            "domain must not use std::time::SystemTime",
        ),
        (
            "src/domain/mod.rs",
            "pub fn f(_: &egui::Ui) {}",
            "domain → crate egui",
        ),
        (
            "src/store/mod.rs",
            "pub fn f(_: &egui::Ui) {}",
            "store → crate egui",
        ),
        (
            "src/pdf/mod.rs",
            "use rusqlite::Connection;",
            "pdf → crate rusqlite",
        ),
        (
            "src/app/mod.rs",
            "pub fn f(b: &[u8]) { let _ = lopdf::Document::load_mem(b); }",
            "app → crate lopdf",
        ),
        (
            "src/app/mod.rs",
            "pub fn f(b: &[u8]) { let _ = image::load_from_memory(b); }",
            "app → crate image",
        ),
        ("src/app/mod.rs", "use egui::Ui;", "app → crate egui"),
        (
            "src/cli/mod.rs",
            "use rusqlite::Connection;",
            "cli → crate rusqlite",
        ),
        (
            "src/ui/mod.rs",
            "use rusqlite::Connection;",
            "ui → crate rusqlite",
        ),
        (
            "src/ui/mod.rs",
            "use printpdf::PdfDocument;",
            "ui → crate printpdf",
        ),
        (
            "src/main.rs",
            "fn main() { let _ = rusqlite::Connection::open_in_memory(); }",
            "main → crate rusqlite",
        ),
    ];
    for (path, text, expected) in cases {
        assert_refused(&[(path, text)], expected);
    }
}

#[test]
fn checker_refuses_a_layer_reaching_upwards() {
    assert_refused(
        &[("src/domain/mod.rs", "use crate::store::Workspace;")],
        "domain → store",
    );
    assert_refused(
        &[("src/store/mod.rs", "pub fn f(_: crate::app::AppError) {}")],
        "store → app",
    );
    assert_refused(&[("src/app/mod.rs", "use crate::ui::NtmUi;")], "app → ui");
    assert_refused(
        &[("src/main.rs", "fn main() { ntm_dossier::store::open(); }")],
        "main → store",
    );
}

#[test]
fn checker_reports_a_use_it_cannot_resolve() {
    assert_refused(
        &[("src/app/mod.rs", "use nowhere::Thing;")],
        "use nowhere::Thing names nothing known",
    );
}

#[test]
fn checker_skips_test_modules_only() {
    let problems = check(&[(
        "src/domain/mod.rs",
        "pub fn f() {}\n#[cfg(test)]\nmod tests { use crate::store::Workspace; }",
    )]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_refused(
        &[(
            "src/domain/mod.rs",
            "pub mod inner { use crate::store::Workspace; }",
        )],
        "domain → store",
    );
}

#[test]
fn checker_finds_an_import_cycle() {
    let sources: Vec<Source> = [
        SAMPLE_LIB,
        (
            "src/app/mod.rs",
            "pub mod bundle; pub mod review; pub mod report;",
        ),
        (
            "src/app/bundle.rs",
            "use super::review::Review; pub struct Opened;",
        ),
        (
            "src/app/review.rs",
            "pub struct Review; pub fn f(_: super::bundle::Opened) {}",
        ),
        ("src/app/report.rs", "use super::review::Review;"),
    ]
    .iter()
    .map(|(p, t)| Source {
        path: (*p).into(),
        text: (*t).into(),
    })
    .collect();
    let found = cycles(&analyse(&sources, &extern_crates()));
    assert_eq!(found.len(), 1, "{found:?}");
    let text = found[0].join("\n");
    assert!(text.contains("app::bundle → app::review"), "{text}");
    assert!(text.contains("app::review → app::bundle"), "{text}");
    assert!(!text.contains("report"), "{text}");
}
