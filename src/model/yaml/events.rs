//! The events of a YAML document, read one at a time from libyaml's parser — the one
//! serde_yaml runs, so what is vetted here is exactly what it would build — so that a
//! document can be judged, and refused, before anything is built from it.

use std::marker::PhantomData;
use std::mem::MaybeUninit;

/// One event, with where it starts (1-based line and column, in characters).
pub struct Event {
    pub kind: Kind,
    /// Whether the node carries an anchor (`&name`).
    pub anchored: bool,
    /// The node's explicit tag (`!foo`, `!!str` resolved to `tag:yaml.org,2002:str`).
    pub tag: Option<String>,
    pub line: usize,
    pub column: usize,
}

pub enum Kind {
    /// A scalar's text, and whether it was written plain (neither quoted nor a block):
    /// only a plain scalar can be read as null, a boolean or a number.
    Scalar {
        value: String,
        plain: bool,
    },
    SequenceStart,
    MappingStart,
    /// The end of a sequence or of a mapping.
    End,
    Alias,
    /// The start of a document.
    Document,
    /// The start of the stream, and the end of a document.
    Other,
}

/// The events of `text`, in order. They end at the end of the stream or at the first
/// syntax error: serde_yaml reports that one in its own words.
pub struct Events<'a> {
    /// Boxed: libyaml keeps pointers into the parser, which must not move.
    parser: Box<MaybeUninit<unsafe_libyaml::yaml_parser_t>>,
    done: bool,
    /// Whether the events ended at a syntax error rather than at the end of the stream.
    failed: bool,
    /// The parser reads `text` in place.
    text: PhantomData<&'a str>,
}

impl<'a> Events<'a> {
    pub fn new(text: &'a str) -> Events<'a> {
        let mut parser = Box::new(MaybeUninit::<unsafe_libyaml::yaml_parser_t>::uninit());
        // SAFETY: the parser is initialised before any other use and lives on the heap,
        // where it stays; `text` outlives it (the lifetime on `Events`).
        unsafe {
            let p = parser.as_mut_ptr();
            assert!(
                unsafe_libyaml::yaml_parser_initialize(p).ok,
                "libyaml: out of memory"
            );
            unsafe_libyaml::yaml_parser_set_encoding(p, unsafe_libyaml::YAML_UTF8_ENCODING);
            unsafe_libyaml::yaml_parser_set_input_string(p, text.as_ptr(), text.len() as u64);
        }
        Events {
            parser,
            done: false,
            failed: false,
            text: PhantomData,
        }
    }

    /// Whether the events ended at a syntax error.
    pub fn failed(&self) -> bool {
        self.failed
    }
}

impl Iterator for Events<'_> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if self.done {
            return None;
        }
        let mut raw = MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        // SAFETY: the parser was initialised in `new`; the event is read only when
        // libyaml produced one, and deleted once copied.
        unsafe {
            let event = raw.as_mut_ptr();
            if !unsafe_libyaml::yaml_parser_parse(self.parser.as_mut_ptr(), event).ok {
                self.done = true;
                self.failed = true;
                return None;
            }
            let copied = copy(&*event);
            unsafe_libyaml::yaml_event_delete(event);
            self.done = copied.is_none();
            copied
        }
    }
}

impl Drop for Events<'_> {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`, deleted once.
        unsafe { unsafe_libyaml::yaml_parser_delete(self.parser.as_mut_ptr()) }
    }
}

/// The event libyaml produced, copied out of its buffers; `None` at the end of the
/// stream.
///
/// # Safety
/// `event` must be one `yaml_parser_parse` filled in and has not yet been deleted.
unsafe fn copy(event: &unsafe_libyaml::yaml_event_t) -> Option<Event> {
    // SAFETY (all reads below): each union field read is the one `type_` says is set.
    let (kind, anchor, tag) = unsafe {
        match event.type_ {
            unsafe_libyaml::YAML_STREAM_END_EVENT => return None,
            unsafe_libyaml::YAML_SCALAR_EVENT => {
                let s = &event.data.scalar;
                let value = std::slice::from_raw_parts(s.value, s.length as usize);
                let value = String::from_utf8_lossy(value).into_owned();
                let plain = s.style == unsafe_libyaml::YAML_PLAIN_SCALAR_STYLE;
                (Kind::Scalar { value, plain }, s.anchor, s.tag)
            }
            unsafe_libyaml::YAML_SEQUENCE_START_EVENT => {
                let s = &event.data.sequence_start;
                (Kind::SequenceStart, s.anchor, s.tag)
            }
            unsafe_libyaml::YAML_MAPPING_START_EVENT => {
                let m = &event.data.mapping_start;
                (Kind::MappingStart, m.anchor, m.tag)
            }
            unsafe_libyaml::YAML_SEQUENCE_END_EVENT | unsafe_libyaml::YAML_MAPPING_END_EVENT => {
                (Kind::End, std::ptr::null_mut(), std::ptr::null_mut())
            }
            unsafe_libyaml::YAML_ALIAS_EVENT => {
                (Kind::Alias, std::ptr::null_mut(), std::ptr::null_mut())
            }
            unsafe_libyaml::YAML_DOCUMENT_START_EVENT => {
                (Kind::Document, std::ptr::null_mut(), std::ptr::null_mut())
            }
            _ => (Kind::Other, std::ptr::null_mut(), std::ptr::null_mut()),
        }
    };
    let tag = (!tag.is_null()).then(|| {
        // SAFETY: libyaml's tags are NUL-terminated strings.
        let tag = unsafe { std::ffi::CStr::from_ptr(tag.cast()) };
        tag.to_string_lossy().into_owned()
    });
    Some(Event {
        kind,
        anchored: !anchor.is_null(),
        tag,
        line: event.start_mark.line as usize + 1,
        column: event.start_mark.column as usize + 1,
    })
}
