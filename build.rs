//! Build script: on Windows targets, compiles assets/windows/app.rc (the program's icon and
//! version details) with windres and links it into the executable. Other targets: nothing.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/windows/app.rc");
    println!("cargo:rerun-if-changed=assets/windows/icon.ico");
    println!("cargo:rerun-if-env-changed=WINDRES");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    if let Err(message) = embed_resources() {
        // A Windows build without its icon must not pass silently.
        eprintln!("{message}");
        std::process::exit(1);
    }
}

fn embed_resources() -> Result<(), String> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    let version = std::env::var("CARGO_PKG_VERSION").map_err(|e| e.to_string())?;
    let mut parts: Vec<String> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|p| p.parse::<u16>().unwrap_or(0).to_string())
        .collect();
    parts.resize(4, "0".to_string());
    let windres = std::env::var("WINDRES").unwrap_or_else(|_| {
        let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_else(|_| "x86_64".into());
        format!("{arch}-w64-mingw32-windres")
    });
    let rc = manifest.join("assets/windows/app.rc");
    let object = out.join("ntm-dossier-resources.o");
    let status = Command::new(&windres)
        .arg(format!("-DNTM_VERSION_COMMAS={}", parts.join(",")))
        .arg(format!("-DNTM_VERSION_TEXT=\\\"{version}\\\""))
        .arg("--include-dir")
        .arg(manifest.join("assets/windows"))
        .arg("-O")
        .arg("coff")
        .arg("-i")
        .arg(&rc)
        .arg("-o")
        .arg(&object)
        .status()
        .map_err(|e| {
            format!(
                "Không chạy được {windres} để gắn biểu tượng vào chương trình ({e}). \
                 Hãy chạy scripts/install-windows-deps.sh, hoặc đặt biến WINDRES."
            )
        })?;
    if !status.success() {
        return Err(format!("{windres} báo lỗi khi dịch {}.", rc.display()));
    }
    println!("cargo:rustc-link-arg-bins={}", object.display());
    Ok(())
}
