//! An owned XML element tree with MJCF `<include>` expanded and positions kept for messages.

use crate::model::ModelError;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// One XML element.
#[derive(Debug, Clone)]
pub struct El {
    pub tag: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<El>,
    /// File and line, for messages.
    pub file: Rc<PathBuf>,
    pub line: u32,
}

impl El {
    /// The raw attribute value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Children with this tag.
    pub fn kids<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.children.iter().filter(move |c| c.tag == tag)
    }

    /// `file:line <tag name='...'>` for messages.
    pub fn whereis(&self) -> String {
        let name = self
            .attr("name")
            .map(|n| format!(" name='{n}'"))
            .unwrap_or_default();
        format!(
            "{}:{}: <{}{}>",
            self.file.display(),
            self.line,
            self.tag,
            name
        )
    }

    /// An error about this element.
    pub fn err(&self, msg: impl std::fmt::Display) -> ModelError {
        ModelError::invalid(
            self.file.as_path(),
            format!(
                "line {}: <{}{}>: {msg}",
                self.line,
                self.tag,
                self.attr("name")
                    .map(|n| format!(" name='{n}'"))
                    .unwrap_or_default()
            ),
        )
    }
}

/// Reads an MJCF file and expands its `<include file=...>` elements (paths relative to the
/// including file), recursively.
pub fn read(path: &Path) -> Result<El, ModelError> {
    read_depth(path, 0)
}

fn read_depth(path: &Path, depth: usize) -> Result<El, ModelError> {
    if depth > 16 {
        return Err(ModelError::invalid(
            path,
            "includes nested more than 16 deep (include cycle?)",
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let doc = roxmltree::Document::parse(&text)
        .map_err(|e| ModelError::invalid(path, format!("not valid XML: {e}")))?;
    let file = Rc::new(path.to_path_buf());
    let mut root = convert(&doc, doc.root_element(), &file);
    expand(&mut root, path, depth)?;
    Ok(root)
}

fn convert(doc: &roxmltree::Document, n: roxmltree::Node, file: &Rc<PathBuf>) -> El {
    El {
        tag: n.tag_name().name().to_string(),
        attrs: n
            .attributes()
            .map(|a| (a.name().to_string(), a.value().to_string()))
            .collect(),
        children: n
            .children()
            .filter(|c| c.is_element())
            .map(|c| convert(doc, c, file))
            .collect(),
        file: file.clone(),
        line: doc.text_pos_at(n.range().start).row,
    }
}

fn expand(el: &mut El, path: &Path, depth: usize) -> Result<(), ModelError> {
    let mut out = Vec::with_capacity(el.children.len());
    for mut c in std::mem::take(&mut el.children) {
        if c.tag == "include" {
            let f = c
                .attr("file")
                .ok_or_else(|| c.err("missing attribute 'file'"))?;
            let inc = path.parent().unwrap_or(Path::new(".")).join(f);
            let sub = read_depth(&inc, depth + 1)?;
            out.extend(sub.children);
        } else {
            expand(&mut c, path, depth)?;
            out.push(c);
        }
    }
    el.children = out;
    Ok(())
}
