//! Reading MyoAssist launcher files (`training_configs/*.bat` / `*.sh`): one command line of
//! flags, continued over lines with `^` (Windows) or `\` (POSIX).

/// The flag words of the launcher's command: everything after the program and module names,
/// starting at the first word that begins with `-`. Comment lines (`REM`, `::`, `#`) and
/// `@echo off` are skipped; quotes group words.
pub fn command_words(text: &str) -> Vec<String> {
    let mut joined = String::new();
    for raw in text.lines() {
        let line = raw.trim();
        let lower = line.to_ascii_lowercase();
        if line.is_empty()
            || line.starts_with('#')
            || line.starts_with("::")
            || lower.starts_with("rem ")
            || lower == "rem"
            || lower.starts_with("@echo")
        {
            continue;
        }
        let (body, continued) = match line.strip_suffix('^').or_else(|| line.strip_suffix('\\')) {
            Some(b) => (b, true),
            None => (line, false),
        };
        joined.push_str(body);
        joined.push(' ');
        if !continued && joined.contains(" -") {
            break;
        }
    }
    let words = split_words(&joined);
    // Skip the interpreter and its `-m module` option: flags start at the first `-` word
    // that is not `-m` (or the module name after it).
    let mut i = 0;
    while i < words.len() {
        if words[i] == "-m" {
            i += 2;
            continue;
        }
        if words[i].starts_with('-') {
            return words[i..].to_vec();
        }
        i += 1;
    }
    Vec::new()
}

fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                any = true;
            }
            None if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            None => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bat_and_sh_give_the_flag_words() {
        let bat = "@echo off\r\npython -m myoassist_reflex.train ^\r\n    --model tutorial ^\r\n    -kine ^\r\n    --save_path \"results/a b\"\r\n";
        assert_eq!(
            command_words(bat),
            ["--model", "tutorial", "-kine", "--save_path", "results/a b"]
        );
        let sh = "#!/bin/bash\npython -m myoassist_reflex.train \\\n  --popsize 8 \\\n  --maxiter 5\necho done\n";
        assert_eq!(command_words(sh), ["--popsize", "8", "--maxiter", "5"]);
    }
}
