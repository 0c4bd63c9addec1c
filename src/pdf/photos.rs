//! The illustrative photos: reduced to print size on every core, and laid out six to a
//! page with their captions.

use super::canvas::{self, Canvas, TEXT_W};
use super::*;
use printpdf::Op;

/// Photos per page in the photo section (2 columns × 3 rows).
pub(super) const PHOTOS_PER_PAGE: usize = 6;
pub(super) const PHOTO_BOX_W: f32 = (TEXT_W - 12.0) / 2.0;
pub(super) const PHOTO_BOX_H: f32 = 165.0;

/// A photo reduced to what the photo pages print (about 200 dpi at its placed size),
/// so that a packet holds small images only, however many and however large the
/// originals. A JPEG that already fits comes back unchanged; an unreadable file comes
/// back as it is and is reported when the packet is built.
pub fn fit_photo(bytes: Vec<u8>) -> Vec<u8> {
    match images::prepare(&bytes, PHOTO_BOX_W, PHOTO_BOX_H) {
        Ok(p) => p.xobject.stream.content,
        Err(_) => bytes,
    }
}

/// Photos reduced to print size by [`fit_photo`] on every core while the caller reads
/// the next files. At most one photo per thread waits in the queue, so memory holds
/// about two originals per core plus the reduced photos, whatever the count.
pub struct PhotoFitter {
    queue: Option<std::sync::mpsc::SyncSender<(usize, Vec<u8>)>>,
    done: std::sync::mpsc::Receiver<(usize, Vec<u8>)>,
    workers: Vec<std::thread::JoinHandle<()>>,
    sent: usize,
}

impl Default for PhotoFitter {
    fn default() -> Self {
        Self::new()
    }
}

impl PhotoFitter {
    /// Starts one worker per core.
    pub fn new() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (queue, inbox) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(threads);
        let inbox = std::sync::Arc::new(std::sync::Mutex::new(inbox));
        let (out, done) = std::sync::mpsc::channel();
        let workers = (0..threads)
            .map(|_| {
                let inbox = inbox.clone();
                let out = out.clone();
                std::thread::spawn(move || {
                    loop {
                        let next = match inbox.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        let Ok((i, bytes)) = next else { return };
                        if out.send((i, fit_photo(bytes))).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        Self {
            queue: Some(queue),
            done,
            workers,
            sent: 0,
        }
    }

    /// Queues the photo that will be number `index` of [`PhotoFitter::finish`]'s list
    /// (waits while every worker is busy and the queue is full).
    pub fn submit(&mut self, index: usize, bytes: Vec<u8>) {
        self.sent = self.sent.max(index + 1);
        if let Some(q) = &self.queue {
            // A closed queue means every worker stopped: the photo is reported unreadable.
            let _ = q.send((index, bytes));
        }
    }

    /// Waits for every queued photo; the list is in `index` order. A photo lost to a
    /// worker's failure comes back empty and is reported as unreadable by [`build`].
    pub fn finish(mut self) -> Vec<Vec<u8>> {
        self.queue = None;
        let mut fitted = vec![Vec::new(); self.sent];
        for (i, bytes) in self.done.iter() {
            if let Some(slot) = fitted.get_mut(i) {
                *slot = bytes;
            }
        }
        for w in self.workers {
            let _ = w.join();
        }
        fitted
    }
}

pub(super) fn photo_pages(fonts: &Fonts, packet: &Packet, loaded: &Loaded) -> Vec<Vec<Op>> {
    let mut c = Canvas::new(fonts);
    c.lines(
        canvas::LEFT,
        TEXT_W,
        Style::Bold,
        14.0,
        canvas::Align::Center,
        "ẢNH MINH HỌA",
    );
    c.space(6.0);
    for (i, (p, prepared)) in packet.photos.iter().zip(&loaded.photos).enumerate() {
        if i > 0 && i % PHOTOS_PER_PAGE == 0 {
            c.new_page();
        }
        let col = (i % 2) as f32;
        if i % 2 == 0 {
            c.ensure(PHOTO_BOX_H + 60.0);
        }
        let x = canvas::LEFT + col * (PHOTO_BOX_W + 12.0);
        let top = c.y;
        match prepared {
            Ok((id, px)) => {
                c.image(id.clone(), *px, x, top, PHOTO_BOX_W, PHOTO_BOX_H);
            }
            Err(m) => {
                c.frame(x, top, PHOTO_BOX_W, PHOTO_BOX_H);
                let mut inner = c.y;
                for l in fonts.wrap(
                    Style::Italic,
                    11.0,
                    &format!("Không đưa được ảnh vào: {m}"),
                    PHOTO_BOX_W - 10.0,
                ) {
                    inner -= 14.0;
                    c.text_at(x + 5.0, inner - 60.0, Style::Italic, 11.0, &l);
                }
            }
        }
        let mut baseline = top - PHOTO_BOX_H - 13.0;
        for (k, l) in fonts
            .wrap(
                Style::Italic,
                11.0,
                &format!("{}: {}", p.code, p.caption),
                PHOTO_BOX_W,
            )
            .into_iter()
            .take(4)
            .enumerate()
        {
            let style = if k == 0 {
                Style::BoldItalic
            } else {
                Style::Italic
            };
            c.text_at(x, baseline, style, 11.0, &l);
            baseline -= 13.0;
        }
        if i % 2 == 1 || i + 1 == packet.photos.len() {
            c.y = top - PHOTO_BOX_H - 62.0;
        }
    }
    c.finish()
}
