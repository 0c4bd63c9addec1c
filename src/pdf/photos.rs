//! The illustrative photos: reduced to print size on every core into a spool on disk,
//! and laid out six to a page with their captions.

use super::canvas::{self, Canvas, TEXT_W};
use super::spool::Spool;
use super::*;
use printpdf::Op;

/// Photos per page in the photo section (2 columns × 3 rows).
pub(super) const PHOTOS_PER_PAGE: usize = 6;
pub(super) const PHOTO_BOX_W: f32 = (TEXT_W - 12.0) / 2.0;
pub(super) const PHOTO_BOX_H: f32 = 165.0;

/// A photo reduced to what the photo pages print (150 to 200 dpi at its placed size):
/// the JPEG with its pixel size and colour components, or why it could not be read.
pub(super) fn fit(bytes: &[u8]) -> Result<images::Prepared, String> {
    images::prepare(bytes, PHOTO_BOX_W, PHOTO_BOX_H)
}

/// Photos reduced to print size on every core while the caller reads the next files;
/// each reduced photo goes to a [`Spool`] on disk as soon as it is done. At most
/// one photo per thread waits in the queue, so memory holds about two originals per
/// core, whatever the number of photos.
pub struct PhotoFitter {
    queue: Option<std::sync::mpsc::SyncSender<(usize, Vec<u8>)>>,
    spool: std::sync::Arc<Spool>,
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
        let spool = Spool::new();
        let workers = (0..threads)
            .map(|_| {
                let inbox = inbox.clone();
                let spool = spool.clone();
                std::thread::spawn(move || {
                    loop {
                        let next = match inbox.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        let Ok((i, bytes)) = next else { return };
                        let fitted = fit(&bytes);
                        drop(bytes);
                        let fitted = match &fitted {
                            Ok(p) => Ok((p.xobject.stream.content.as_slice(), p.px, p.components)),
                            Err(m) => Err(m.clone()),
                        };
                        // A photo that could not be stored reads back as that error.
                        let _ = spool.put(i, fitted);
                    }
                })
            })
            .collect();
        Self {
            queue: Some(queue),
            spool,
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
    /// worker's failure is reported as unreadable by [`build`].
    pub fn finish(mut self) -> Vec<PhotoImage> {
        self.queue = None;
        for w in std::mem::take(&mut self.workers) {
            let _ = w.join();
        }
        (0..self.sent)
            .map(|i| PhotoImage::Spooled(self.spool.photo(i)))
            .collect()
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
            Ok(placed) => {
                c.image(
                    placed.id.clone(),
                    placed.px,
                    x,
                    top,
                    PHOTO_BOX_W,
                    PHOTO_BOX_H,
                );
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
