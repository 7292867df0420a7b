//! QEMU `mps2-an386` with the flash image and UART0 on a loopback TCP socket (`-serial
//! tcp:127.0.0.1:PORT`; the host listens, QEMU connects). The firmware runs `mode=link`; its
//! defmt stream (semihosting stdout) goes to a file for decoding at the end.

use super::HilError;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long QEMU may take to connect, and the device to answer one frame.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Qemu {
    child: Child,
    pub defmt_path: PathBuf,
    stderr_path: PathBuf,
}

impl Qemu {
    /// Boots `image` (raw flash image at address 0) with control period `dt` (s).
    pub fn start(image: &Path, dt: f32, dir: &Path) -> Result<(Self, TcpStream), HilError> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .map_err(|e| HilError::Qemu(format!("cannot listen on loopback: {e}")))?;
        let port = listener
            .local_addr()
            .map_err(|e| HilError::Qemu(e.to_string()))?
            .port();
        let defmt_path = dir.join("defmt.bin");
        let stderr_path = dir.join("qemu.err");
        let out = std::fs::File::create(&defmt_path)
            .map_err(|e| HilError::Qemu(format!("{}: {e}", defmt_path.display())))?;
        let err = std::fs::File::create(&stderr_path)
            .map_err(|e| HilError::Qemu(format!("{}: {e}", stderr_path.display())))?;
        let semihosting = format!(
            "enable=on,target=native,arg=myoreflex-fw,arg=mode=link,arg=dt_bits={:08x}",
            dt.to_bits()
        );
        let child = Command::new("qemu-system-arm")
            .current_dir(dir)
            .args(["-cpu", "cortex-m4", "-machine", "mps2-an386", "-nographic", "-monitor", "none"])
            .args(["-serial", &format!("tcp:127.0.0.1:{port},nodelay=on"), "-semihosting-config", &semihosting])
            .arg("-kernel")
            .arg(image)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| HilError::Qemu(format!("cannot start qemu-system-arm ({e}); install the Debian package qemu-system-arm")))?;
        let mut q = Self {
            child,
            defmt_path,
            stderr_path,
        };
        listener
            .set_nonblocking(true)
            .map_err(|e| HilError::Qemu(e.to_string()))?;
        let start = Instant::now();
        let stream = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if let Ok(Some(status)) = q.child.try_wait() {
                        return Err(HilError::Qemu(format!(
                            "QEMU exited ({status}) before connecting: {}",
                            q.stderr()
                        )));
                    }
                    if start.elapsed() > CONNECT_TIMEOUT {
                        q.kill();
                        return Err(HilError::Qemu(format!(
                            "QEMU did not connect to 127.0.0.1:{port} within {} s",
                            CONNECT_TIMEOUT.as_secs()
                        )));
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => {
                    q.kill();
                    return Err(HilError::Qemu(format!("accept: {e}")));
                }
            }
        };
        let setup = |s: &TcpStream| -> std::io::Result<()> {
            s.set_nonblocking(false)?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(FRAME_TIMEOUT))
        };
        if let Err(e) = setup(&stream) {
            q.kill();
            return Err(HilError::Qemu(format!("socket setup: {e}")));
        }
        Ok((q, stream))
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path)
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    /// Waits for the firmware to exit after `End` (killed after `timeout`); its exit code.
    pub fn finish(&mut self, timeout: Duration) -> Result<i32, HilError> {
        let start = Instant::now();
        loop {
            match self.child.try_wait() {
                Ok(Some(s)) => {
                    return s.code().ok_or_else(|| {
                        HilError::Qemu(format!("QEMU killed by a signal: {}", self.stderr()))
                    })
                }
                Ok(None) if start.elapsed() > timeout => {
                    self.kill();
                    return Err(HilError::Qemu(format!(
                        "the firmware did not exit within {} s after the end of the session",
                        timeout.as_secs()
                    )));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(e) => return Err(HilError::Qemu(format!("waiting for QEMU: {e}"))),
            }
        }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Qemu {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.kill();
        }
    }
}
