// A form's text fields as one state object: `values`, and `onChange(name)` to hand each input.
// (A select's value comes back as the string the browser holds; the form's schema checks it.)
import { useState, type ChangeEvent } from 'react';

type FieldElement = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export function useFields<T extends Record<string, string>>(initial: T | (() => T)) {
  const [values, setValues] = useState(initial);
  const onChange = (name: keyof T) => (e: ChangeEvent<FieldElement>) => {
    const value = e.currentTarget.value;
    setValues((s) => ({ ...s, [name]: value }));
  };
  return { values, onChange, setValues };
}
