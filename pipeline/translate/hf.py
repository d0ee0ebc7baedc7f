"""The transformers engine: `AutoModelForSeq2SeqLM` (Marian / OPUS-MT, NLLB, BART summarisers).

Scores: at generation, `output_scores` through `compute_transition_scores` (the log-probability of
each chosen token); for a given output, one forward pass with `labels` (forced decoding). Both
count the text tokens and the end-of-sentence token, not NLLB's forced language code.
"""
from __future__ import annotations

from .. import models
from .engine import Engine


class HFEngine(Engine):
    name = "hf"

    def _load(self) -> None:
        self.tokenizer, self.model = models.load_hf_seq2seq(self.ref, self.decoding.device)

    def n_tokens(self, text: str, src: str | None = None) -> int:
        self.load()
        if self.multilingual:
            self.tokenizer.src_lang = self.code(src)
        return len(self.tokenizer(text).input_ids)

    def n_target_tokens(self, text: str, tgt: str | None = None) -> int:
        self.load()
        if self.multilingual:
            self.tokenizer.tgt_lang = self.code(tgt)
        return len(self.tokenizer(text_target=text).input_ids)

    def input_limit(self) -> int:
        self.load()
        if self.decoding.max_input_tokens:
            return self.decoding.max_input_tokens
        return min(self.model.config.max_position_embeddings, self.tokenizer.model_max_length) - 2

    def output_limit(self) -> int:
        self.load()
        return self.model.config.max_position_embeddings - 2

    def _eos(self) -> set[int]:
        eos = self.model.generation_config.eos_token_id
        return set(eos if isinstance(eos, list) else [eos])

    def _generate(self, texts, max_new, src_code, tgt_code):
        import torch

        d = self.decoding
        kwargs = {"min_new_tokens": d.min_new_tokens} if d.min_new_tokens else {}
        forced = 0
        if tgt_code:
            self.tokenizer.src_lang = src_code
            kwargs["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(tgt_code)
            forced = 1  # the forced language code is one of the new tokens
        enc = self.tokenizer(texts, return_tensors="pt", padding=True).to(d.device)
        with torch.inference_mode():
            out = self.model.generate(**enc, num_beams=d.beams, do_sample=False,
                                      max_new_tokens=max_new + forced, num_return_sequences=1,
                                      return_dict_in_generate=True, output_scores=True, **kwargs)
            steps = self.model.compute_transition_scores(
                out.sequences, out.scores, getattr(out, "beam_indices", None), normalize_logits=d.beams == 1)
        eos = self._eos()
        seqs = out.sequences
        texts_out = [t.strip() for t in self.tokenizer.batch_decode(seqs, skip_special_tokens=True)]
        results = []
        generated = seqs[:, seqs.shape[1] - steps.shape[1]:]  # the tokens the scores are for
        for text, ids, row in zip(texts_out, generated.tolist(), steps.tolist(), strict=True):
            end = next((i for i, t in enumerate(ids) if i >= forced and t in eos), None)
            upto = len(ids) if end is None else end + 1
            chosen = row[forced:upto]
            results.append((text, end is not None, float(sum(chosen)), len(chosen)))
        return results

    def _score(self, sources, targets, src_code, tgt_code):
        import torch

        tok = self.tokenizer
        if tgt_code:
            tok.src_lang, tok.tgt_lang = src_code, tgt_code
        enc = tok(sources, text_target=targets, return_tensors="pt", padding=True).to(self.decoding.device)
        labels = enc.pop("labels")
        pad = tok.pad_token_id
        keep = labels != pad
        if tgt_code:
            keep[:, 0] = False  # the language code is given, not predicted
        with torch.inference_mode():
            logits = self.model(**enc, labels=labels.masked_fill(labels == pad, -100)).logits
            logp = torch.log_softmax(logits.float(), dim=-1).gather(-1, labels.unsqueeze(-1)).squeeze(-1)
            sums = (logp * keep).sum(dim=1)
        return [(float(s), int(n)) for s, n in zip(sums.tolist(), keep.sum(dim=1).tolist(), strict=True)]
